using System.CommandLine;
using CnnNative.Cli.Report;
using CnnNative.Core;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Onnx;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn export`: writes a checkpoint's model as an ONNX file (atomically) for ONNX Runtime,
/// ML.NET or any other ONNX consumer, then prints what the file takes and gives and how to
/// load it. Layers without an ONNX form are refused with the layer's name before anything is written.
/// </summary>
internal sealed class ExportCommand : ICliCommand
{
    /// <inheritdoc/>
    public IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("Export a run's model to ONNX", "cnn export -c runs/simple-conv-20261205-093000/model.safetensors -o model.onnx"),
        new("Export for a runtime that knows opset 13, with the scores as the only output", "cnn export -c runs/simple-conv-20261205-093000/model.safetensors -o model.onnx --opset 13 --no-softmax"),
    ];

    public Command Build(CliContext context)
    {
        var checkpoint = new Option<string>("--checkpoint", "-c")
        {
            Description = "The model.safetensors of a training run folder.",
            HelpName = "FILE",
            Required = true,
        };
        var onnx = new Option<string>("--onnx", "-o")
        {
            Description = "The ONNX file to write (replaced atomically if it exists).",
            HelpName = "FILE",
            Required = true,
        };
        var opset = new Option<int>("--opset")
        {
            Description = $"ai.onnx operator set version, {OnnxExporter.MinOpset} to {OnnxExporter.MaxOpset}.",
            HelpName = "N",
            DefaultValueFactory = _ => OnnxExporter.MaxOpset,
        };
        var noSoftmax = new Option<bool>("--no-softmax")
        {
            Description = "Leave out the 'probabilities' output (the softmax of the scores); only 'scores' remains.",
        };
        var command = new Command("export",
            "Write a trained model as ONNX (IR 8, opset 17 by default, free batch dimension, class names in the metadata) for ONNX Runtime, ML.NET and other ONNX runtimes.")
        {
            checkpoint, onnx, opset, noSoftmax,
        };
        command.SetAction(parse => Run(context, parse, parse.GetValue(checkpoint)!, parse.GetValue(onnx)!, parse.GetValue(opset), parse.GetValue(noSoftmax)));
        return command;
    }

    private static int Run(CliContext context, ParseResult parse, string checkpointPath, string onnxPath, int opset, bool noSoftmax)
    {
        string target = OutputFile.Check(onnxPath, [".onnx"], "a file path ending in .onnx");
        var checkpoint = ModelCheckpoint.Open(checkpointPath);
        var options = new OnnxExportOptions
        {
            Opset = opset,
            ProbabilitiesName = noSoftmax ? null : "probabilities",
            ClassNames = checkpoint.Metadata.ClassNames,
            Preprocessing = checkpoint.Metadata.Preprocessing,
        };
        using IComputeProvider provider = context.CreateProvider(parse);
        using var network = checkpoint.LoadNetwork(provider);
        byte[] model = OnnxExporter.ToBytes(network, options);
        OutputFile.WriteAllBytes(target, model);

        var o = context.Out;
        string input = string.Join(", ", network.InputShape.Dimensions);
        o.WriteLine($"wrote {target} ({network.Spec.Name ?? "model"}, {model.Length / 1024.0:F0} KiB, opset {opset})");
        var preprocessing = checkpoint.Metadata.Preprocessing;
        o.WriteLine(preprocessing.IsNone
            ? $"input:  '{options.InputName}' float32 [batch, {input}], pixel values scaled to [0, 1] as in training"
            : $"input:  '{options.InputName}' float32 [batch, {input}], preprocessed '{preprocessing.Name}' as in training: {preprocessing.Description} (metadata '{OnnxExporter.PreprocessKey}'; not part of the graph)");
        o.WriteLine($"output: '{options.ScoresName}' float32 [batch, {network.Classes}] class scores"
            + (noSoftmax ? "" : $"; '{options.ProbabilitiesName}' their softmax"));
        o.WriteLine($"classes: {string.Join(", ", checkpoint.Metadata.ClassNames)} (metadata '{OnnxExporter.ClassNamesKey}')");
        string output = noSoftmax ? options.ScoresName : options.ProbabilitiesName!;
        o.WriteLine("load it in ONNX Runtime (C#, NuGet package Microsoft.ML.OnnxRuntime):");
        o.WriteLine($"  using var session = new InferenceSession(\"{Path.GetFileName(target)}\");");
        o.WriteLine($"  using var x = OrtValue.CreateTensorValueFromMemory(pixels, [1, {input}]);");
        o.WriteLine($"  using var y = session.Run(new RunOptions(), [\"{options.InputName}\"], [x], [\"{output}\"]);");
        o.WriteLine("  ReadOnlySpan<float> classScores = y[0].GetTensorDataAsSpan<float>();");
        o.WriteLine($"or in Python: onnxruntime.InferenceSession(\"{Path.GetFileName(target)}\").run(None, {{\"{options.InputName}\": x}})");
        return ExitCodes.Success;
    }
}
