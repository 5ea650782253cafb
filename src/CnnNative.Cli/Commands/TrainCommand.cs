using System.CommandLine;
using System.Globalization;
using CnnNative.Cli.Report;
using CnnNative.Core;
using CnnNative.Distributed;
using CnnNative.Nn;
using CnnNative.Nn.Training;
using CnnNative.Training;
using Spectre.Console;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn train`: trains a preset or a JSON model file on an MNIST-format folder, shows progress
/// (a bar with ETA on a terminal, plain lines otherwise), writes the run folder
/// (model.safetensors, metrics.csv, run.json, steps.csv and report.html, the report refreshed after every epoch) and ends with <c>test accuracy: 0.xxxx</c> and
/// the folder. Ctrl+C stops after the current batch with a checkpoint that <c>--resume</c>
/// continues exactly (exit 130); a loss that becomes NaN stops with a message (exit 1).
/// </summary>
internal sealed class TrainCommand : ICliCommand
{
    /// <inheritdoc/>
    public IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("Train simple-conv, the default model, on Fashion-MNIST for 5 epochs", "cnn train"),
        new("Train vgg-small for 10 epochs on a cosine schedule, stopping early on a 10 % validation split and keeping the best epoch", "cnn train -m vgg-small -e 10 --schedule cosine --validation-split 0.1 --patience 2 --keep both"),
        new("Train on a folder of class folders of photos, in colour at 32×32, on the OpenCL provider", "cnn train --data photos --image-size 32 --channels 3 --provider opencl"),
        new("Train deep-conv with label smoothing 0.1 for 8 epochs", "cnn train -m deep-conv -e 8 --label-smoothing 0.1"),
        new("Train on randomly shifted, mirrored and partly erased images", "cnn train -m vgg-small --augment shift:2,flip,erase"),
        new("Reach 0.92 test accuracy on Fashion-MNIST in the least time (the fast recipe: fast-conv, one-cycle Adam, stops at 0.92)", "cnn train --preset fast"),
        new("Continue an interrupted run, raising its epochs to 10", "cnn train --resume runs/simple-conv-20261205-093000/model.safetensors -e 10"),
    ];

    public Command Build(CliContext context)
    {
        var model = new Option<string?>("--model", "-m")
        {
            Description = $"Model to train: a preset ({string.Join(", ", ModelPresets.Names)}) or a JSON model file (default {TrainingRequest.DefaultModel}; with --resume, the checkpoint's; with --preset, the preset's).",
            HelpName = "PRESET|FILE",
        };
        var data = CommonOptions.Data();
        var epochs = new Option<int?>("--epochs", "-e")
        {
            Description = $"Epochs to train in total (default {TrainingSettings.DefaultEpochs}; with --resume, the checkpoint's, and may be raised).",
            HelpName = "N",
        };
        var batchSize = new Option<int?>("--batch-size", "-b")
        {
            Description = $"Samples per training step (default {TrainingSettings.DefaultBatchSize}).",
            HelpName = "B",
        };
        var optimizer = new Option<string?>("--optimizer")
        {
            Description = "sgd, momentum, nesterov, adagrad, rmsprop or adam (default adam).",
            HelpName = "NAME",
        };
        var lr = new Option<float?>("--lr")
        {
            Description = "Learning rate (default: adam 0.001, sgd 0.1, rmsprop 0.001, others 0.01).",
            HelpName = "X",
        };
        var weightDecay = new Option<float?>("--weight-decay")
        {
            Description = "L2 weight decay on weights, not biases (default 0).",
            HelpName = "X",
        };
        var seed = new Option<ulong?>("--seed")
        {
            Description = $"Seed of the initial weights, the shuffles and the dropout masks (default {TrainingSettings.DefaultSeed}).",
            HelpName = "S",
        };
        var schedule = new Option<string?>("--schedule")
        {
            Description = "Learning-rate schedule: constant (default), step (×0.1 every 5 epochs), cosine (down to 0 at the last step) or one-cycle (up from lr/25 over 30 % of the steps, then cosine down).",
            HelpName = "NAME",
        };
        var warmup = new Option<double?>("--warmup")
        {
            Description = "Epochs of linear learning-rate warm-up before the schedule (default 0; fractions allowed).",
            HelpName = "EPOCHS",
        };
        var validationSplit = new Option<double?>("--validation-split")
        {
            Description = $"Fraction of the training images held out (by --seed) to measure validation loss and accuracy after every epoch (default 0, at most {TrainingSettings.MaxValidationSplit}); never the test set.",
            HelpName = "F",
        };
        var preprocess = new Option<string?>("--preprocess")
        {
            Description = "Input preprocessing the model is trained with and its checkpoint keeps for eval, predict and export: none (default, values 0–1) or vgg (BGR, 0–255, less the ImageNet means; colour images).",
            HelpName = "none|vgg",
        };
        var augment = new Option<string?>("--augment")
        {
            Description = "Change training images at random, the same way on every provider and after --resume: shift[:N] (up to N pixels each way, default 2), flip (left-right), erase[:N] (an N-pixel square, default half the image side); e.g. shift:2,flip,erase.",
            HelpName = "LIST",
        };
        var patience = new Option<int?>("--patience")
        {
            Description = "Stop early after N epochs without improvement of the validation loss (the training loss without --validation-split).",
            HelpName = "N",
        };
        var keep = new Option<string?>("--keep")
        {
            Description = "Checkpoints to keep: last (default: model.safetensors), both (adds best.safetensors, the best epoch by the same loss as --patience) or best (the best epoch becomes model.safetensors when the run ends).",
            HelpName = "last|best|both",
        };
        var loss = new Option<string?>("--loss")
        {
            Description = $"The loss after the class scores: {LossSpec.Types[0]} (default, the seed's softmax with cross-entropy) or {LossSpec.Types[1]} (mean squared error against one-hot labels); with --resume, the checkpoint's.",
            HelpName = string.Join("|", LossSpec.Types),
        };
        var labelSmoothing = new Option<float?>("--label-smoothing")
        {
            Description = $"Label smoothing ε of the {SoftmaxWithLoss.Name} loss: targets 1 − ε + ε/classes and ε/classes (default 0; below 1).",
            HelpName = "X",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Run folder to write (default runs/<model>-<yyyyMMdd-HHmmss>; with --resume, the checkpoint's folder).",
            HelpName = "DIR",
        };
        var preset = new Option<string?>("--preset")
        {
            Description = $"A training recipe: its model and settings fill in every option not given. {string.Join(" ", TrainingRecipes.All.Select(r => $"{r.Name}: {r}."))}",
            HelpName = string.Join("|", TrainingRecipes.Names),
        };
        var targetAccuracy = new Option<double?>("--target-accuracy")
        {
            Description = "Stop after the first epoch whose test accuracy reaches X and print the time it took (training and test passes, and CPU time): a time-to-accuracy measurement, which watches the test set, not a way to choose a model.",
            HelpName = "X",
        };
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue the run saved in this model.safetensors exactly where it stopped.",
            HelpName = "CHECKPOINT",
        };

        var imageData = new ImageDataOptions();
        var divergence = new DivergenceOptions();
        var command = new Command("train",
            "Train a model on an MNIST-format data set (Fashion-MNIST by default) or a folder of class folders of images (train/<class>/*, test/<class>/*), evaluate the test set after every epoch, and write the run folder: model.safetensors, metrics.csv, run.json and report.html (refreshed after every epoch). Ctrl+C stops after the current batch with a checkpoint --resume continues.")
        {
            model, preset, data, epochs, batchSize, optimizer, lr, weightDecay, loss, labelSmoothing, schedule, warmup, validationSplit, preprocess, augment, patience, keep, targetAccuracy, seed, output, resume,
        };
        imageData.Add(command);
        divergence.Add(command);
        command.SetAction(parse => Run(context, parse, new TrainingRequest
        {
            Model = parse.GetValue(model),
            DataFolder = parse.GetValue(data),
            ClassNames = imageData.ClassNames(parse),
            Images = imageData.Read(parse, new ImageDecodeProgressBar(context.Error, context.Interactive)),
            Loss = parse.GetValue(loss),
            LabelSmoothing = parse.GetValue(labelSmoothing),
            Epochs = parse.GetValue(epochs),
            BatchSize = parse.GetValue(batchSize),
            Optimizer = parse.GetValue(optimizer),
            LearningRate = parse.GetValue(lr),
            WeightDecay = parse.GetValue(weightDecay),
            Seed = parse.GetValue(seed),
            Schedule = parse.GetValue(schedule),
            WarmupEpochs = parse.GetValue(warmup),
            ValidationSplit = parse.GetValue(validationSplit),
            Preprocess = parse.GetValue(preprocess),
            Augment = parse.GetValue(augment),
            Patience = parse.GetValue(patience),
            Keep = parse.GetValue(keep),
            Output = parse.GetValue(output),
            Resume = parse.GetValue(resume),
            Preset = parse.GetValue(preset),
            TargetAccuracy = parse.GetValue(targetAccuracy),
            Divergence = divergence.Read(parse, context.GetConfiguration(parse)),
            MemoryLimit = context.GetComputeOptions(parse).MemoryLimitBytes,
        }));
        return command;
    }

    private static int Run(CliContext context, ParseResult parse, TrainingRequest request)
    {
        // Under mpirun every rank runs this command; a plain run is a world of one and loads no MPI.
        var world = Communicators.FromEnvironment();
        if (world.Size == 1) return Train(context, parse, request);
        try
        {
            int code = Train(context, parse, request with { World = world });
            world.Dispose(); // MPI_Finalize: every rank gets here after the same last step
            return code;
        }
        catch (Exception e)
        {
            // The other ranks would wait for this one forever in their next all-reduce:
            // report once, from the rank that failed, and stop them all.
            int code = ErrorReport.Write(e, context.Error, context.IsVerbose(parse), context.CancellationToken);
            context.Error.WriteLine($"cnn: rank {world.Rank} of {world.Size} failed; stopping every rank (MPI_Abort).");
            context.Error.Flush();
            world.Abort(code);
            return code;
        }
    }

    private static int Train(CliContext context, ParseResult parse, TrainingRequest request)
    {
        using IComputeProvider provider = context.CreateProvider(parse);
        using var job = TrainingJob.Prepare(request, provider);
        if (job.Output is null) return FollowRoot(job, context.CancellationToken);
        foreach (string warning in job.Data.Warnings) context.Error.WriteLine($"cnn: warning: {warning}");
        Describe(context.Out, job, provider, context.IsVerbose(parse), defaultModel: request.Model is null && request.Resume is null && request.Preset is null);

        TrainingResult result;
        TrainingReporter reporter;
        if (context.Interactive)
        {
            result = null!;
            reporter = null!;
            context.Console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), TrainProgressColumn.RunPercentage(),
                    TrainProgressColumn.Elapsed(), TrainProgressColumn.Remaining(), new SpinnerColumn())
                .Start(progress =>
                {
                    reporter = new TrainingReporter(new TrainProgressBar(progress, context.Console), job, context.Error, context.CancellationToken);
                    result = job.Run(reporter, context.CancellationToken);
                });
        }
        else
        {
            reporter = new TrainingReporter(new TrainProgressLines(context.Out), job, context.Error, context.CancellationToken);
            result = job.Run(reporter, context.CancellationToken);
        }
        // After job.Run, so the report shows how the run ended (run.json is rewritten by then).
        reporter.Finish(result);
        if (job.AllReduce is { Steps: > 0 } allReduce) DescribeCommunication(context.Out, allReduce, result, job.Data.Train.Count);

        // The target's own stop needs no line of its own: the target line below says it.
        bool targetStopped = job.Target is { Reached: true } reached && reached.ReachedEpoch == result.History.Count;
        if (result.Outcome == TrainingOutcome.Stopped && !targetStopped) context.Out.WriteLine(result.Message);
        if (job.Target is { } target) context.Out.WriteLine(DescribeTarget(target, result));
        if (job.Best is { BestEpoch: > 0 } best)
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"best: epoch {best.BestEpoch} ({best.Monitor.Describe()} {best.Best:F4}, test accuracy {result.History[best.BestEpoch - 1].TestAccuracy:F4}) in {(File.Exists(job.Output!.BestCheckpointPath) ? job.Output.BestCheckpointPath : job.Output.CheckpointPath)}"));
        switch (result.Outcome)
        {
            case TrainingOutcome.Completed:
            case TrainingOutcome.Stopped:
                // With --keep best the folder's model is the best epoch's: report its accuracy.
                double accuracy = job.Kept == CheckpointsKept.Best && job.Best is { BestEpoch: > 0 } kept
                    ? result.History[kept.BestEpoch - 1].TestAccuracy
                    : result.FinalTestAccuracy;
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {accuracy:F4}"));
                context.Out.WriteLine($"output: {job.Output?.Path}");
                return ExitCodes.Success;
            case TrainingOutcome.Interrupted:
                context.Out.WriteLine($"output: {job.Output?.Path}");
                if (job.Output is not null) context.Error.WriteLine($"cnn: {result.Message}");
                return ExitCodes.Cancelled;
            default:
                context.Out.WriteLine($"output: {job.Output?.Path}");
                throw new CliException(result.Message ?? "Training stopped: the loss is not finite.");
        }
    }

    /// <summary>
    /// A rank other than 0 of a data-parallel run: it trains its part of every batch in step
    /// with the others and says nothing — rank 0 prints, reports and writes the run folder.
    /// </summary>
    private static int FollowRoot(TrainingJob job, CancellationToken cancel) => job.Run(cancel: cancel).Outcome switch
    {
        TrainingOutcome.Completed or TrainingOutcome.Stopped => ExitCodes.Success,
        TrainingOutcome.Interrupted => ExitCodes.Cancelled,
        _ => ExitCodes.Failure,
    };

    /// <summary>How much of the training time the gradient all-reduce took (data-parallel runs).</summary>
    private static void DescribeCommunication(TextWriter output, GradientAllReduce allReduce, TrainingResult result, int trainSamples)
    {
        // Each finished epoch trained trainSamples images at its images/s: that is its training time.
        double trainSeconds = result.History.Where(m => m.ImagesPerSecond > 0).Sum(m => trainSamples / m.ImagesPerSecond);
        double communication = allReduce.CommunicationTime.TotalSeconds;
        string share = trainSeconds > 0 ? string.Create(CultureInfo.InvariantCulture, $", {communication / trainSeconds:P1} of the training time") : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"all-reduce: {allReduce.Steps} steps of {allReduce.BufferLength:N0} values, {communication * 1000 / allReduce.Steps:F2} ms each{share}; {allReduce.TransfersPerStep} gradient downloads and uploads per step"));
    }

    /// <summary>"target: test accuracy 0.9231 ≥ 0.92 after epoch 3 in 27.3 s (52.4 CPU-s)", or how close the run came.</summary>
    private static string DescribeTarget(TargetAccuracy target, TrainingResult result) =>
        target.Reached || result.History.Count == 0
            ? $"target: {target}"
            : string.Create(CultureInfo.InvariantCulture,
                $"target: test accuracy {target.Target} not reached in {result.History.Count} epoch(s); the best was {result.History.Max(m => m.TestAccuracy):F4}");

    /// <summary>What is about to run, one fact per line.</summary>
    private static void Describe(TextWriter output, TrainingJob job, IComputeProvider provider, bool verbose, bool defaultModel)
    {
        var network = job.Trainer.Network;
        var data = job.Data;
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv,
            $"model: {network.Spec.Name ?? "custom"} ({network.Summary.TotalParameters:N0} parameters), input {string.Join("×", network.InputShape.Dimensions)}, {Plural.Of(network.Classes, "class", "classes")}{(defaultModel ? "; the default model (choose another with --model)" : "")}"));
        output.WriteLine(ProviderLine.Format(provider.Info, verbose));
        output.WriteLine(string.Create(inv, $"data: {data.Folder} ({data.Train.Count} training, {data.Test.Count} test images)"));
        output.WriteLine($"settings: {job.Trainer.Settings}");
        if (network.Spec.Loss is { } loss)
            output.WriteLine(string.Create(inv, $"loss: {loss.Type}{(loss.LabelSmoothing is float e ? $", label smoothing {e}" : "")}"));
        output.WriteLine($"diverged when: {job.Trainer.Divergence}");
        if (job.Trainer.Validation is { } validation)
            output.WriteLine(string.Create(inv, $"validation: {validation.Count} of the training images held out, {job.Trainer.Train.Count} trained on"));
        if (job.Trainer.Callbacks.OfType<EarlyStopping>().FirstOrDefault() is { } stopping)
            output.WriteLine($"early stopping: after {Plural.Of(stopping.Patience, "epoch")} without a lower {stopping.Monitor.Describe()}");
        if (job.Target is { } target)
            output.WriteLine(string.Create(inv, $"target: stop at test accuracy {target.Target} (time to accuracy: training and test passes)"));
        if (job.Info.WorldSize > 1)
            output.WriteLine($"processes: {job.Info.WorldSize} (data-parallel over MPI; each takes 1/{job.Info.WorldSize} of every batch, gradients averaged every step)");
        if (job.ResumedFrom is { } checkpoint)
            output.WriteLine($"resuming: {checkpoint.Path} at {TrainingCheckpoint.Read(checkpoint).State}");
        output.WriteLine($"output: {job.Output?.Path}");
    }
}
