using System.Text.Json.Nodes;
using CnnNative.Nn.Training;

namespace CnnNative.Training;

/// <summary>
/// The job's own callback: rewrites the run folder's metrics.csv after every epoch (before the
/// progress display and the report hear of it), and saves the folder's choices that are not
/// trainer settings — which checkpoints to keep, the early-stopping patience — in every
/// checkpoint, so a resume without those flags keeps them.
/// </summary>
internal sealed class RunFolderRecorder(RunFolder output, CheckpointsKept keep, int? patience) : TrainingCallback
{
    public const string Key = "run_folder";

    public CheckpointsKept Keep => keep;

    public int? Patience => patience;

    public override void EpochDone(EpochMetrics metrics) => output.WriteMetrics(Trainer.History);

    public override string StateKey => Key;

    public override JsonNode SaveState() => new JsonObject
    {
        ["keep"] = keep.ToString().ToLowerInvariant(),
        ["patience"] = patience,
    };

    /// <summary>The choices a checkpoint saved, or nulls when it has none.</summary>
    public static (CheckpointsKept? Keep, int? Patience) Saved(TrainingCheckpoint checkpoint)
    {
        if (!checkpoint.CallbackStates.TryGetValue(Key, out var state)) return (null, null);
        CheckpointsKept? kept = Enum.TryParse<CheckpointsKept>(state["keep"]?.GetValue<string>(), ignoreCase: true, out var k) ? k : null;
        return (kept, state["patience"]?.GetValue<int>());
    }
}
