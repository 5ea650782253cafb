using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn;
using CnnNative.Nn.Training;

namespace CnnNative.Training;

/// <summary>
/// run.json of a run folder: everything needed to know how a model was trained — the model
/// spec, the hyper-parameters and seed, the provider and what it ran on, the data files with
/// their sizes, when the run started and ended and how. Written when the run starts (status
/// "running") and again when it ends.
/// </summary>
public sealed record RunInfo
{
    /// <summary>The <see cref="Status"/> of a run still in progress (or one that died without a word).</summary>
    public const string Running = "running";

    /// <summary>The model spec as in a model file (input shape and classes filled in).</summary>
    public required JsonNode Model { get; init; }

    /// <summary>The preset name, or the model file's name for a custom model.</summary>
    public required string ModelName { get; init; }

    /// <summary>Trainable values in the model (all parameter elements).</summary>
    public required long Parameters { get; init; }

    /// <summary>The resolved training settings (defaults filled in, a resumed run's taken from its checkpoint).</summary>
    public required TrainingSettings Hyperparameters { get; init; }

    /// <summary>The loss trained with (also in <see cref="Model"/> when it is not the default); null in run.json files older than this field.</summary>
    public LossSpec? Loss { get; init; }

    /// <summary>The seed again at top level (it is also in the hyper-parameters), as the one number to rerun with.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The provider and device the run trained on.</summary>
    public required ProviderDescription Provider { get; init; }

    /// <summary>The data folder and files (with their sizes) the run read.</summary>
    public required DataDescription Data { get; init; }

    /// <summary>The checkpoint this run continued from, or null for a fresh run.</summary>
    public string? ResumedFrom { get; init; }

    /// <summary>Processes that trained together (data-parallel over MPI); 1 for a single process.</summary>
    public int WorldSize { get; init; } = 1;

    /// <summary>When the run (or this resumed part of it) started, with the local offset.</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>When it ended; null while running.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>"running", then "completed", "stopped" (early stopping), "interrupted" or "diverged".</summary>
    public string Status { get; init; } = Running;

    /// <summary>Why the run did not complete (one sentence), or null.</summary>
    public string? Message { get; init; }

    /// <summary>Epochs fully trained, counting those before a resume.</summary>
    public int EpochsCompleted { get; init; }

    /// <summary>Early-stopping patience in epochs, or null when the run never stops early.</summary>
    public int? Patience { get; init; }

    /// <summary>The rule that would have stopped the run as diverged besides a NaN/∞ loss; null in run.json files written before it was recorded.</summary>
    public DivergenceRule? Divergence { get; init; }

    /// <summary>Which checkpoints the folder keeps: "last", "best" or "both".</summary>
    public string Keep { get; init; } = "last";

    /// <summary>The epoch kept as the best (best.safetensors, or model.safetensors with keep "best"), or null.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>Test-set accuracy of the kept model in [0, 1] at the end; null while running or when the run never finished an epoch.</summary>
    public double? FinalTestAccuracy { get; init; }

    /// <summary>The test accuracy the run was timed to (<c>--target-accuracy</c>), or null.</summary>
    public double? TargetAccuracy { get; init; }

    /// <summary>When and how fast the run reached <see cref="TargetAccuracy"/>, or null (no target, or not reached).</summary>
    public TimeToTarget? TargetReached { get; init; }

    /// <summary>The description of a run about to start.</summary>
    public static RunInfo Create(ModelSpec spec, long parameters, TrainingSettings settings, ProviderInfo provider,
        DataSplits data, string? resumedFrom, DateTimeOffset start) => new()
    {
        Model = JsonNode.Parse(spec.ToJson())!,
        ModelName = spec.Name ?? "model",
        Parameters = parameters,
        Hyperparameters = settings,
        Loss = spec.Loss ?? new LossSpec(),
        Seed = settings.Seed,
        Provider = new ProviderDescription(provider.Name, provider.Device, provider.Threads, provider.Details),
        Data = new DataDescription(data.Folder, data.Train.Count, data.Test.Count, data.Train.ClassNames, data.Files)
        {
            Preprocess = data.Train.Preprocessing.Name,
        },
        ResumedFrom = resumedFrom,
        StartTime = start,
    };

    /// <summary>This description updated with how the run ended.</summary>
    public RunInfo Finished(TrainingResult result, DateTimeOffset end) => this with
    {
        EndTime = end,
        Status = result.Outcome switch
        {
            TrainingOutcome.Completed => "completed",
            TrainingOutcome.Interrupted => "interrupted",
            TrainingOutcome.Stopped => "stopped",
            _ => "diverged",
        },
        Message = result.Message,
        EpochsCompleted = result.History.Count,
        FinalTestAccuracy = result.History.Count == 0 ? null : result.FinalTestAccuracy,
    };

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    /// <summary>run.json's text: camelCase, indented, ending with a newline.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    /// <summary>Reads run.json's text.</summary>
    /// <exception cref="JsonException">The text is not valid JSON, lacks a required property or is <c>null</c>.</exception>
    public static RunInfo FromJson(string json) =>
        JsonSerializer.Deserialize<RunInfo>(json, JsonOptions) ?? throw new JsonException("run.json is null.");
}

/// <summary>The provider of a run, as <see cref="ProviderInfo"/> reported it.</summary>
public sealed record ProviderDescription(string Name, string Device, int Threads, IReadOnlyDictionary<string, string> Details);

/// <summary>The data a run used.</summary>
public sealed record DataDescription(string Folder, int TrainSamples, int TestSamples, IReadOnlyList<string> ClassNames, IReadOnlyList<DataFile> Files)
{
    /// <summary>The <see cref="Preprocessing"/> the images had before the model saw them ("none", "vgg").</summary>
    public string Preprocess { get; init; } = Preprocessing.None.Name;
}

/// <summary>How a run reached its target test accuracy (<see cref="Nn.Training.TargetAccuracy"/>).</summary>
/// <param name="Epoch">The 1-based epoch that first reached it.</param>
/// <param name="TestAccuracy">That epoch's test accuracy.</param>
/// <param name="Seconds">Wall seconds of the epochs up to it (training and test passes).</param>
/// <param name="CpuSeconds">CPU seconds of the training process up to it (all threads).</param>
public sealed record TimeToTarget(int Epoch, double TestAccuracy, double Seconds, double CpuSeconds);

