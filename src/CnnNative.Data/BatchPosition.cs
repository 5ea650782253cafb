namespace CnnNative.Data;

/// <summary>
/// Where a <see cref="Batcher"/> stands: the zero-based <paramref name="Epoch"/> and the number
/// of batches of that epoch already taken (<paramref name="Batch"/>, so the next batch has
/// that index). Saving it in a checkpoint and seeking back to it resumes the exact data order.
/// </summary>
public readonly record struct BatchPosition(int Epoch, int Batch)
{
    /// <summary>"epoch E, batch B", both zero-based.</summary>
    public override string ToString() => $"epoch {Epoch}, batch {Batch}";
}
