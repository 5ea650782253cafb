namespace CnnNative.Nn.Training;

/// <summary>
/// A training run cannot start as asked: a setting out of range, settings that contradict the
/// checkpoint being resumed, data that does not fit the model, or an output that cannot be
/// written. Raised before anything is trained or written, so nothing is damaged. The message is
/// one sentence saying what to change.
/// </summary>
public sealed class TrainingSetupException : Exception
{
    /// <summary>A problem stated as a whole sentence.</summary>
    public TrainingSetupException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>
    /// A problem with one setting: the message is "<paramref name="setting"/> <paramref name="problem"/>"
    /// ("BatchSize must be between 1 and 65536, got 0."), and an application may say it in its
    /// own words for the setting (a command-line flag) from <see cref="Setting"/> and <see cref="Problem"/>.
    /// </summary>
    public TrainingSetupException(string setting, string problem) : base($"{setting} {problem}")
    {
        ArgumentException.ThrowIfNullOrEmpty(setting);
        Setting = setting;
        Problem = problem;
    }

    /// <summary>The <see cref="TrainingSettings"/> property at fault ("BatchSize"), or null when the problem is not one setting's.</summary>
    public string? Setting { get; }

    /// <summary>What is wrong with <see cref="Setting"/> ("must be between 1 and 65536, got 0."), or null.</summary>
    public string? Problem { get; }
}
