using System.CommandLine;
using System.Globalization;
using CnnNative.Cli.Report;
using CnnNative.Core;
using CnnNative.Nn.Checkpoints;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn predict`: classifies PNG or PGM images (and samples of IDX files) with a trained
/// checkpoint and prints the most probable classes of each, by name, with their softmax
/// probabilities. Every input is read and checked before the model runs, so a bad file fails
/// with one sentence and no partial output.
/// </summary>
public sealed class PredictCommand : ICliCommand
{
    /// <summary>Images per forward pass.</summary>
    private const int BatchSize = 64;

    public Command Build(CliContext context)
    {
        var checkpoint = new Option<string>("--checkpoint", "-c")
        {
            Description = "The model.safetensors of a training run folder.",
            HelpName = "FILE",
            Required = true,
        };
        var images = new Argument<string[]>("IMAGE")
        {
            Description = "PNG or PGM images to classify (colour is converted to gray).",
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
            Description = "Only resize images to the model's input; skip the MNIST-style centring (ink bounding box scaled to 20×20, centred by centre of mass in 28×28).",
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
            Description = "How many of the most probable classes to print per image (default 3).",
            HelpName = "K",
            DefaultValueFactory = _ => 3,
        };
        var command = new Command("predict",
            "Classify images with a trained model: prints the most probable classes of each PNG or PGM image (or IDX sample) with their probabilities.")
        {
            checkpoint, images, idx, index, noPreprocess, invert, box, top,
        };
        command.SetAction(parse => Run(context, parse, new Request(
            parse.GetValue(checkpoint)!, parse.GetValue(images) ?? [], parse.GetValue(idx), parse.GetValue(index),
            !parse.GetValue(noPreprocess), parse.GetValue(invert), parse.GetValue(box), parse.GetValue(top))));
        return command;
    }

    private sealed record Request(string Checkpoint, string[] Images, string? Idx, int? Index, bool Preprocess, bool Invert, int? Box, int Top);

    private static int Run(CliContext context, ParseResult parse, Request request)
    {
        if (request.Idx is null && request.Index is not null)
            throw new CliException("--index needs --idx FILE naming the IDX images file to take the sample from.", ExitCodes.Usage);
        if (request.Idx is not null && request.Index is null)
            throw new CliException("--idx needs --index N saying which sample of the file to classify.", ExitCodes.Usage);
        if (request.Images.Length == 0 && request.Idx is null)
            throw new CliException("Give one or more IMAGE files (PNG or PGM), or --idx FILE --index N.", ExitCodes.Usage);
        if (request.Top < 1)
            throw new CliException($"--top must be at least 1, got {request.Top}.", ExitCodes.Usage);

        var checkpoint = ModelCheckpoint.Open(request.Checkpoint);
        var classNames = checkpoint.Metadata.ClassNames;
        if (request.Box is not null && !request.Preprocess)
            throw new CliException("--box sets the preprocessing, which --no-preprocess turns off; give one of them.", ExitCodes.Usage);
        var inputs = new PredictInputs(new TensorShape(checkpoint.Metadata.Model.Input!), request.Preprocess, request.Invert, request.Box, context.Error);
        var samples = new List<PredictSample>();
        foreach (string image in request.Images) samples.Add(inputs.FromImage(image));
        if (request.Idx is { } idx) samples.Add(inputs.FromIdx(idx, request.Index!.Value, classNames));
        context.CancellationToken.ThrowIfCancellationRequested();

        using IComputeProvider provider = context.CreateProvider(parse);
        using var network = checkpoint.LoadNetwork(provider);
        using var runner = new ProbabilityRunner(network, Math.Min(BatchSize, samples.Count));
        int classes = runner.Classes, top = Math.Min(request.Top, classes);
        var probabilities = new float[runner.BatchSize * classes];
        int nameWidth = 0;
        foreach (string name in classNames) nameWidth = Math.Max(nameWidth, name.Length);

        for (int start = 0; start < samples.Count; start += runner.BatchSize)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(runner.BatchSize, samples.Count - start);
            var batch = new float[count * runner.SampleSize];
            for (int n = 0; n < count; n++) samples[start + n].Input.CopyTo(batch, n * runner.SampleSize);
            runner.Run(batch, count, probabilities);
            for (int n = 0; n < count; n++)
                Write(context.Out, samples[start + n], probabilities.AsSpan(n * classes, classes), classNames, top, nameWidth);
        }
        return ExitCodes.Success;
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
