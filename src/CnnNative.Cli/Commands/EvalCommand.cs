using System.CommandLine;
using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn eval`: loads a checkpoint (checking every tensor against its model before reading any
/// data), runs the test split of an MNIST-format folder through it in inference mode and
/// prints the test accuracy, the accuracy of each class by name and the confusion matrix.
/// </summary>
internal sealed class EvalCommand : ICliCommand
{
    /// <summary>Batch size when the checkpoint does not say (it always does when written by `cnn train`).</summary>
    private const int DefaultBatchSize = 100;

    /// <inheritdoc/>
    public IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("Evaluate a run's model on the Fashion-MNIST test set", "cnn eval -c runs/simple-conv-20261205-093000/model.safetensors"),
        new("Evaluate it on the test split of another MNIST-format folder", "cnn eval -c runs/simple-conv-20261205-093000/model.safetensors -d data/fashion-mnist"),
    ];

    public Command Build(CliContext context)
    {
        var checkpoint = new Option<string>("--checkpoint", "-c")
        {
            Description = "The model.safetensors of a training run folder.",
            HelpName = "FILE",
            Required = true,
        };
        var data = CommonOptions.Data();
        var command = new Command("eval",
            "Evaluate a trained model on the test split (t10k-*) of an MNIST-format folder: test accuracy, accuracy per class and the confusion matrix.")
        {
            checkpoint, data,
        };
        command.SetAction(parse => Run(context, parse, parse.GetValue(checkpoint)!, parse.GetValue(data)));
        return command;
    }

    private static int Run(CliContext context, ParseResult parse, string checkpointPath, string? dataFolder)
    {
        var checkpoint = ModelCheckpoint.Open(checkpointPath);
        var training = TrainingCheckpoint.Read(checkpoint);
        var test = DatasetLoader.Load(dataFolder, DataSplit.Test, checkpoint.Metadata.ClassNames,
            CnnNative.Data.ImageFolders.ImageFolderInput.Of(checkpoint.Metadata.Model.Input!), seed: training.Settings.Seed)
            .Preprocessed(checkpoint.Metadata.Preprocessing);
        using IComputeProvider provider = context.CreateProvider(parse);
        using var network = checkpoint.LoadNetwork(provider);
        Evaluator.CheckFits(network, test);
        int batchSize = training.Settings.BatchSize > 0 ? training.Settings.BatchSize : DefaultBatchSize;
        using var evaluator = new Evaluator(network, batchSize, context.GetComputeOptions(parse).MemoryLimitBytes);
        context.CancellationToken.ThrowIfCancellationRequested();
        EvaluationResult result = evaluator.Evaluate(test);

        context.Out.WriteLine($"model: {checkpoint.Metadata.Model.Name ?? "custom"} from {checkpoint.Path} ({Plural.Of(training.State.CompletedEpochs, "epoch")} trained)");
        string source = DigitsDataset.Handles(dataFolder)
            ? $"{dataFolder} (the held-out 20 % of seed {training.Settings.Seed}'s split)"
            : DatasetLoader.ResolveFolder(dataFolder);
        context.Out.WriteLine($"data: {source} ({test.Count} test images)");
        context.Out.WriteLine($"provider: {provider.Name}");
        if (context.Interactive) EvalReport.WriteTables(context.Console, result);
        else EvalReport.WritePlain(context.Out, result);
        return ExitCodes.Success;
    }
}
