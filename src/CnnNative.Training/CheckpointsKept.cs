namespace CnnNative.Training;

/// <summary>Which checkpoints a run folder keeps (<c>--keep</c>).</summary>
public enum CheckpointsKept
{
    /// <summary>model.safetensors holds the last epoch (what a resume continues).</summary>
    Last,
    /// <summary>
    /// While training, model.safetensors holds the last epoch and best.safetensors the best; when
    /// the run completes or stops early, the best replaces model.safetensors, so evaluation,
    /// prediction and the report use the best model.
    /// </summary>
    Best,
    /// <summary>model.safetensors the last epoch, best.safetensors the best one, both kept.</summary>
    Both,
}
