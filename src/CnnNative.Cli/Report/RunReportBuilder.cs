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
internal static class RunReportBuilder
{
    /// <summary>How often an open report of a run in progress reloads itself.</summary>
    public const int RefreshSeconds = 30;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Builds the page data for <paramref name="inputs"/>, stamped <paramref name="generatedAt"/>.</summary>
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
            TrainingSeconds = TrainingSeconds(inputs.Epochs, inputs.State),
            CompareLink = inputs.CompareLink,
            ClassNames = inputs.ClassNames,
            ConfusionMatrix = insights?.ConfusionMatrix,
            Misclassified = insights?.Misclassified ?? [],
            FirstLayerFilters = inputs.CurrentFilters ?? insights?.FirstLayerFilters,
            FeatureMaps = insights?.FeatureMaps,
        };
    }

    /// <summary>
    /// Seconds spent training the run across every interruption and resume: the finished epochs
    /// (each counts its time before and after a resume) plus the unfinished epoch's training time
    /// when <paramref name="state"/> stopped inside the epoch after the last finished one.
    /// </summary>
    public static double TrainingSeconds(IReadOnlyList<EpochMetrics> epochs, TrainingState? state)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        double seconds = 0;
        foreach (EpochMetrics e in epochs)
            if (double.IsFinite(e.Seconds)) seconds += e.Seconds;
        return seconds + UnfinishedEpochSeconds(epochs, state);
    }

    private static double UnfinishedEpochSeconds(IReadOnlyList<EpochMetrics> epochs, TrainingState? state) =>
        state is { Batch: > 0 } && state.Epoch == epochs.Count && double.IsFinite(state.EpochTrainSeconds) ? state.EpochTrainSeconds : 0;

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
            // A resumed run's run.json describes its latest session; the training time below covers them all.
            string session = info.ResumedFrom is null ? "" : " (this session)";
            Add("started", Time(info.StartTime) + session);
            if (info.EndTime is { } end) Add("finished", $"{Time(end)} ({Duration(end - info.StartTime)}{(session.Length > 0 ? " this session" : "")})");
            if (info.ResumedFrom is { } resumed) Add("resumed from", resumed);
        }
        if (TrainingTime(inputs) is { } time) Add("training time", time);
        if (inputs.ClassNames.Count > 0) Add("classes", string.Join(", ", inputs.ClassNames));
        return rows;
    }

    /// <summary>"3 min 5 s over 4 epochs, 12.5 s of it in unfinished epoch 5", or null before any training.</summary>
    private static string? TrainingTime(RunReportInputs inputs)
    {
        double total = TrainingSeconds(inputs.Epochs, inputs.State);
        if (total <= 0) return null;
        double unfinished = UnfinishedEpochSeconds(inputs.Epochs, inputs.State);
        string text = string.Create(Inv, $"{RunReportRenderer.Duration(total)} over {inputs.Epochs.Count} finished epoch{(inputs.Epochs.Count == 1 ? "" : "s")}");
        if (unfinished > 0)
            text += string.Create(Inv, $", {RunReportRenderer.Duration(unfinished)} of it in unfinished epoch {inputs.Epochs.Count + 1} (batch {inputs.State!.Batch})");
        return text + (inputs.Info?.ResumedFrom is null ? "" : ", counted across every interruption and resume");
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
