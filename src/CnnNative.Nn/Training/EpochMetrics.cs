using System.Text.Json.Serialization;

namespace CnnNative.Nn.Training;

/// <summary>
/// One row of metrics.csv: what an epoch achieved.
/// </summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Mean training loss over the epoch's samples (each batch's mean loss weighted by its size).</param>
/// <param name="TrainAccuracy">
/// Fraction of the epoch's training samples classified correctly by the forward pass that
/// trained on them — counted during the epoch, in training mode (dropout on, batch statistics)
/// and with the weights of that moment, not by a second pass after the epoch.
/// </param>
/// <param name="TestAccuracy">Fraction of the whole test set classified correctly after the epoch, in inference mode.</param>
/// <param name="ImagesPerSecond">Training samples per second of training time (evaluation excluded).</param>
/// <param name="Seconds">Wall time of the epoch: training plus the test evaluation.</param>
public sealed record EpochMetrics(
    int Epoch,
    double Loss,
    double TrainAccuracy,
    double TestAccuracy,
    double ImagesPerSecond,
    double Seconds)
{
    /// <summary>Mean loss on the held-out validation set after the epoch, in inference mode; NaN without a validation split.</summary>
    public double ValidationLoss { get; init; } = double.NaN;

    /// <summary>Fraction of the validation set classified correctly after the epoch; NaN without a validation split.</summary>
    public double ValidationAccuracy { get; init; } = double.NaN;

    /// <summary>Mean loss on the whole test set after the epoch, in inference mode; NaN when the run has no test set or recorded none (files written before it existed).</summary>
    public double TestLoss { get; init; } = double.NaN;

    /// <summary>The learning rate of the epoch's last step.</summary>
    public double LearningRate { get; init; } = double.NaN;

    /// <summary>True when the epoch was validated (<see cref="TrainingSettings.ValidationSplit"/> &gt; 0).</summary>
    [JsonIgnore]
    public bool HasValidation => !double.IsNaN(ValidationLoss);
}
