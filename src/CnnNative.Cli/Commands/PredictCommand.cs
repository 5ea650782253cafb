using System.CommandLine;
using System.Globalization;
using CnnNative.Cli.Report;
using CnnNative.Core;
using CnnNative.Data.ImageFolders;
using CnnNative.Data.Imaging;
using CnnNative.Nn.Checkpoints;
using CnnNative.Training;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn predict`: classifies images (PNG, JPEG, WebP, BMP, GIF, PGM) and samples of IDX files
/// with a trained checkpoint (by default the newest run's in runs/) and prints which provider
/// runs, then the most probable classes of each, by name, with their
/// softmax probabilities, fed with the channels the model was trained on. Each image gets its
/// result on standard output or its error (one sentence naming the file) on standard error,
/// in the order given; the exit code is non-zero when any image failed. Usage mistakes and a
/// bad checkpoint or --idx sample stop before anything runs.
/// </summary>
internal sealed class PredictCommand : ICliCommand
{
    /// <summary>Images per forward pass.</summary>
    private const int BatchSize = 64;

    /// <inheritdoc/>
    public IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("Classify a photo with the model of the newest run in runs/", "cnn predict shirt.png"),
        new("Classify photos of clothes on a light background that fill the frame", "cnn predict --invert --box 28 shirt.jpg trousers.jpg"),
        new("Classify test sample 7 of an IDX file with a chosen checkpoint", "cnn predict -c runs/simple-conv-20261205-093000/model.safetensors --idx /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --index 7"),
    ];

    public Command Build(CliContext context)
    {
        var checkpoint = new Option<string?>("--checkpoint", "-c")
        {
            Description = $"The model.safetensors of a training run folder (default: the newest run's in {context.RunsFolder}/, the folder cnn train writes to).",
            HelpName = "FILE",
        };
        var images = new Argument<string[]>("IMAGE")
        {
            Description = "Images to classify: PNG, JPEG, WebP, BMP, GIF or PGM (converted to the model's channels: gray is BT.601 luma).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var idx = new Option<string?>("--idx")
        {
            Description = "An IDX images file (MNIST format, plain or .gz) to take a sample from, with --index.",
            HelpName = "FILE",
        };
        var index = new Option<int?>("--index")
        {
            Description = "Which sample of the --idx file to classify (0-based).",
            HelpName = "N",
        };
        var noPreprocess = new Option<bool>("--no-preprocess")
        {
            Description = "Only resize images to the model's input; skip the MNIST-style centring (ink bounding box scaled to 20×20, centred by centre of mass in 28×28). Colour models, and models trained on a folder of images (run.json beside the checkpoint says so), are only resized anyway.",
        };
        var invert = new Option<bool>("--invert")
        {
            Description = "The images are dark on a light background (paper, product photos): invert them to the light-on-dark of MNIST.",
        };
        var box = new Option<int?>("--box")
        {
            Description = "Side, in pixels of the model input, that the image's ink is scaled to before centring (default: MNIST's 20 of 28). Fashion-MNIST's products fill the frame: --box 28 suits photos of clothes.",
            HelpName = "N",
        };
        var top = new Option<int>("--top")
        {
            Description = "How many of the most probable classes to print per image.",
            HelpName = "K",
            DefaultValueFactory = _ => 3,
        };
        var background = new Option<string>("--background")
        {
            Description = "What transparent pixels are composited on: white, black, gray or #rrggbb.",
            HelpName = "COLOUR",
            DefaultValueFactory = _ => "white",
        };
        var command = new Command("predict",
            "Classify images with a trained model: prints the most probable classes of each image (PNG, JPEG, WebP, BMP, GIF, PGM) or IDX sample with their probabilities.")
        {
            checkpoint, images, idx, index, noPreprocess, invert, box, top, background,
        };
        command.SetAction(parse => Run(context, parse, new Request(
            parse.GetValue(checkpoint), parse.GetValue(images) ?? [], parse.GetValue(idx), parse.GetValue(index),
            !parse.GetValue(noPreprocess), parse.GetValue(invert), parse.GetValue(box), parse.GetValue(top), parse.GetValue(background)!)));
        return command;
    }

    private sealed record Request(string? Checkpoint, string[] Images, string? Idx, int? Index, bool Preprocess, bool Invert, int? Box, int Top, string Background);

    private static int Run(CliContext context, ParseResult parse, Request request)
    {
        if (request.Idx is null && request.Index is not null)
            throw new CliException("--index needs --idx FILE naming the IDX images file to take the sample from.", ExitCodes.Usage);
        if (request.Idx is not null && request.Index is null)
            throw new CliException("--idx needs --index N saying which sample of the file to classify.", ExitCodes.Usage);
        if (request.Images.Length == 0 && request.Idx is null)
            throw new CliException("Give one or more IMAGE files (PNG, JPEG, WebP, BMP, GIF or PGM), or --idx FILE --index N.", ExitCodes.Usage);
        if (request.Top < 1)
            throw new CliException($"--top must be at least 1, got {request.Top}.", ExitCodes.Usage);

        RgbColour background;
        try
        {
            background = RgbColour.Parse(request.Background);
        }
        catch (FormatException e)
        {
            throw new CliException($"--background: {e.Message}", ExitCodes.Usage, e);
        }

        var checkpoint = ModelCheckpoint.Open(request.Checkpoint ?? NewestCheckpoint(context));
        var classNames = checkpoint.Metadata.ClassNames;
        if (request.Box is not null && !request.Preprocess)
            throw new CliException("--box sets the preprocessing, which --no-preprocess turns off; give one of them.", ExitCodes.Usage);
        bool centre = request.Preprocess && !TrainedOnImageFolder(checkpoint.Path);
        var inputs = new PredictInputs(new TensorShape(checkpoint.Metadata.Model.Input!), centre, request.Invert, request.Box, background, context.Error)
        {
            ModelPreprocessing = checkpoint.Metadata.Preprocessing,
        };
        // One entry per input, in order: the prepared sample, or the sentence saying why it failed.
        var entries = new List<(PredictSample? Sample, string? Error)>();
        foreach (string image in request.Images)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            try
            {
                entries.Add((inputs.FromImage(image), null));
            }
            catch (Exception e) when (e is ImageFormatException or IOException or UnauthorizedAccessException
                                          || e is CliException { ExitCode: ExitCodes.Failure })
            {
                entries.Add((null, e.Message.StartsWith(image, StringComparison.Ordinal) ? e.Message : $"{image}: {e.Message}"));
            }
        }
        if (request.Idx is { } idx) entries.Add((inputs.FromIdx(idx, request.Index!.Value, classNames), null));
        var samples = entries.Where(e => e.Sample is not null).Select(e => e.Sample!).ToList();
        context.CancellationToken.ThrowIfCancellationRequested();
        if (samples.Count == 0)
        {
            foreach (var (_, error) in entries) context.Error.WriteLine($"cnn: {error}");
            return ExitCodes.Failure;
        }

        using IComputeProvider provider = context.CreateProvider(parse);
        context.Out.WriteLine(ProviderLine.Format(provider.Info, context.IsVerbose(parse)));
        using var network = checkpoint.LoadNetwork(provider);
        using var runner = new ProbabilityRunner(network, Math.Min(BatchSize, samples.Count));
        int classes = runner.Classes, top = Math.Min(request.Top, classes);
        var probabilities = new float[runner.BatchSize * classes];
        int nameWidth = 0;
        foreach (string name in classNames) nameWidth = Math.Max(nameWidth, name.Length);

        var results = new float[samples.Count][];
        for (int start = 0; start < samples.Count; start += runner.BatchSize)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(runner.BatchSize, samples.Count - start);
            var batch = new float[count * runner.SampleSize];
            for (int n = 0; n < count; n++) samples[start + n].Input.CopyTo(batch, n * runner.SampleSize);
            runner.Run(batch, count, probabilities);
            for (int n = 0; n < count; n++) results[start + n] = probabilities.AsSpan(n * classes, classes).ToArray();
        }

        int next = 0, failed = 0;
        foreach (var (sample, error) in entries)
        {
            if (sample is null)
            {
                context.Out.Flush();
                context.Error.WriteLine($"cnn: {error}");
                failed++;
                continue;
            }
            Write(context.Out, sample, results[next++], classNames, top, nameWidth);
        }
        if (failed > 0)
        {
            context.Error.WriteLine($"cnn: {failed} of {entries.Count} inputs could not be classified.");
            return ExitCodes.Failure;
        }
        return ExitCodes.Success;
    }

    /// <summary>The newest run's checkpoint, named on standard output, or a usage error saying how to get one.</summary>
    private static string NewestCheckpoint(CliContext context)
    {
        string? newest = RunFolder.NewestCheckpoint(context.RunsFolder);
        if (newest is null)
            throw new CliException(
                $"No --checkpoint given and no trained run in {Path.GetFullPath(context.RunsFolder)} (a folder holding {ModelCheckpoint.FileName}): train one with 'cnn train' or name a checkpoint with --checkpoint FILE.",
                ExitCodes.Usage);
        context.Out.WriteLine($"checkpoint: {newest} (the newest run in {context.RunsFolder}/; choose another with --checkpoint)");
        return newest;
    }

    /// <summary>
    /// Whether run.json beside the checkpoint says the model learnt from a folder of images:
    /// then images are only resized, as the data set was, never MNIST-centred.
    /// </summary>
    private static bool TrainedOnImageFolder(string checkpointPath)
    {
        string runJson = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpointPath))!, RunFolder.RunInfoFileName);
        if (!File.Exists(runJson)) return false;
        try
        {
            return RunInfo.FromJson(File.ReadAllText(runJson)).Data.Files.Any(f => f.Role == ImageFolderLoader.ImagesRole);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            return false; // an unreadable run.json only loses the hint
        }
    }

    private static void Write(TextWriter output, PredictSample sample, ReadOnlySpan<float> probabilities, IReadOnlyList<string> classNames, int top, int nameWidth)
    {
        output.WriteLine(sample.Label is null ? sample.Name : $"{sample.Name} (label: {sample.Label})");
        foreach (var (rank, c) in TopClasses(probabilities, top))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {rank}. {classNames[c].PadRight(nameWidth)}  {probabilities[c] * 100,6:0.00}%"));
    }

    /// <summary>The <paramref name="k"/> most probable classes, most probable first (the lower index wins a tie).</summary>
    internal static List<(int Rank, int Class)> TopClasses(ReadOnlySpan<float> probabilities, int k)
    {
        var order = new int[probabilities.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        float[] p = probabilities.ToArray();
        Array.Sort(order, (a, b) => p[b] != p[a] ? p[b].CompareTo(p[a]) : a.CompareTo(b));
        var result = new List<(int, int)>(k);
        for (int i = 0; i < k && i < order.Length; i++) result.Add((i + 1, order[i]));
        return result;
    }
}
