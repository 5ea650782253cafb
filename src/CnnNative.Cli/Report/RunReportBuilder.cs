using CnnNative.Core;
using System.Globalization;
using CnnNative.Nn;
using CnnNative.Nn.Training;
using CnnNative.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// Turns <see cref="RunReportInputs"/> into the <see cref="RunReportData"/> the renderer draws:
/// the title, the settings table (run, model and its layers, optimizer, provider, data, times)
/// and the curves and insights as they are.
/// </summary>
public static class RunReportBuilder
{
    /// <summary>How often an open report of a run in progress reloads itself.</summary>
    public const int RefreshSeconds = 30;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static RunReportData Build(RunReportInputs inputs, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ModelInsights? insights = inputs.Insights;
        return new RunReportData
        {
            Title = Title(inputs),
            GeneratedAt = generatedAt,
            AutoRefreshSeconds = inputs.InProgress ? RefreshSeconds : null,
            Settings = Settings(inputs),
            Epochs = inputs.Epochs,
            StepLosses = inputs.Steps,
            ClassNames = inputs.ClassNames,
            ConfusionMatrix = insights?.ConfusionMatrix,
            Misclassified = insights?.Misclassified ?? [],
            FirstLayerFilters = insights?.FirstLayerFilters,
            FeatureMaps = insights?.FeatureMaps,
        };
    }

    /// <summary>"simple-conv on fashion-mnist" (the data folder's name), or the run folder's name.</summary>
    private static string Title(RunReportInputs inputs)
    {
        string model = inputs.Info?.ModelName ?? inputs.Model?.Name ?? "model";
        string? data = inputs.Info is { } info ? Path.GetFileName(info.Data.Folder.TrimEnd('/', '\\')) : null;
        return string.IsNullOrEmpty(data)
            ? $"{model}: {Path.GetFileName(inputs.RunFolder.TrimEnd('/', '\\'))}"
            : $"{model} on {data}";
    }

    private static List<KeyValuePair<string, string>> Settings(RunReportInputs inputs)
    {
        var rows = new List<KeyValuePair<string, string>>();
        void Add(string key, string value) => rows.Add(new(key, value));
        RunInfo? info = inputs.Info;

        Add("run folder", inputs.RunFolder);
        Add("status", Status(inputs));
        if (inputs.Model is { } model)
        {
            ModelSummary summary = model.Validate();
            Add("model", string.Create(Inv,
                $"{model.Name ?? "custom"}: input {Shape(summary.InputShape)}, {model.Classes} classes, {summary.TotalParameters:N0} parameters, {Init(model.DefaultInit)}"));
            foreach (LayerSummary layer in summary.Layers)
                Add($"layer {layer.Name}", string.Create(Inv,
                    $"{layer.Type} → {Shape(layer.OutputShape)}{(layer.ParameterCount > 0 ? $", {layer.ParameterCount:N0} parameters" : "")}"));
        }
        else if (info is not null)
        {
            Add("model", string.Create(Inv, $"{info.ModelName}, {info.Parameters:N0} parameters"));
        }

        if ((info?.Hyperparameters ?? inputs.Settings) is { } settings)
        {
            Add("optimizer", Optimizer(settings.Optimizer));
            Add("batch size", settings.BatchSize.ToString(Inv));
            Add("epochs", settings.Epochs.ToString(Inv));
            Add("seed", settings.Seed.ToString(Inv));
        }
        if (info is not null)
        {
            ProviderDescription p = info.Provider;
            Add("provider", string.Create(Inv, $"{p.Name} on {p.Device}, {Plural.Of(p.Threads, "thread")}"));
            foreach (var (key, value) in p.Details) Add($"provider {key}", value);
            Add("data", string.Create(Inv, $"{info.Data.Folder} ({info.Data.TrainSamples:N0} training, {info.Data.TestSamples:N0} test images)"));
            Add("started", Time(info.StartTime));
            if (info.EndTime is { } end) Add("finished", $"{Time(end)} ({Duration(end - info.StartTime)})");
            if (info.ResumedFrom is { } resumed) Add("resumed from", resumed);
        }
        if (inputs.ClassNames.Count > 0) Add("classes", string.Join(", ", inputs.ClassNames));
        return rows;
    }

    private static string Status(RunReportInputs inputs)
    {
        if (inputs.InProgress)
            return inputs.PlannedEpochs is { } planned
                ? string.Create(Inv, $"training: {inputs.Epochs.Count} of {planned} epochs done")
                : "training";
        if (inputs.Info is not { } info) return inputs.Epochs.Count == 0 ? "no epoch finished" : string.Create(Inv, $"{Plural.Of(inputs.Epochs.Count, "epoch")} finished");
        string status = info.Status == RunInfo.Running ? "running, or stopped without recording how it ended" : info.Status;
        return info.Message is { } message ? $"{status}: {message}" : status;
    }

    private static string Optimizer(OptimizerSettings o)
    {
        string text = string.Create(Inv, $"{o.Name}, learning rate {o.LearningRate}");
        text += o.Name switch
        {
            "momentum" or "nesterov" => string.Create(Inv, $", momentum {o.Momentum}"),
            "rmsprop" => string.Create(Inv, $", decay rate {o.DecayRate}"),
            "adam" => string.Create(Inv, $", β1 {o.Beta1}, β2 {o.Beta2}"),
            _ => "",
        };
        return o.WeightDecay > 0 ? text + string.Create(Inv, $", weight decay {o.WeightDecay}") : text;
    }

    private static string Init(WeightInit init) => init.Kind switch
    {
        WeightInitKind.He => "He initialisation",
        WeightInitKind.Xavier => "Xavier initialisation",
        _ => string.Create(Inv, $"initial weights N(0, {init.Std}²)"),
    };

    private static string Shape(Core.TensorShape shape) => string.Join("×", shape.Dimensions);

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss zzz", Inv);

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(Inv, $"{(int)span.TotalHours} h {span.Minutes} min")
        : span.TotalMinutes >= 1 ? string.Create(Inv, $"{span.Minutes} min {span.Seconds} s") : string.Create(Inv, $"{span.TotalSeconds:0.0} s");
}
