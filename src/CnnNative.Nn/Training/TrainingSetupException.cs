namespace CnnNative.Nn.Training;

/// <summary>
/// A training run cannot start as asked: an option out of range, options that contradict the
/// checkpoint being resumed, or an output folder that cannot be written. Raised before any
/// file is written, so nothing is damaged. The message is one sentence saying what to change.
/// </summary>
public sealed class TrainingSetupException : Exception
{
    public TrainingSetupException(string message, Exception? inner = null) : base(message, inner) { }
}
