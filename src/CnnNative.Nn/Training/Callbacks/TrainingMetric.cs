namespace CnnNative.Nn.Training;

/// <summary>An epoch metric a callback can watch (<see cref="EpochMetrics"/>).</summary>
public enum TrainingMetric
{
    /// <summary>Mean validation loss (lower is better); needs a validation split.</summary>
    ValidationLoss,
    /// <summary>Validation accuracy (higher is better); needs a validation split.</summary>
    ValidationAccuracy,
    /// <summary>Mean training loss of the epoch (lower is better).</summary>
    Loss,
    /// <summary>Training accuracy of the epoch (higher is better).</summary>
    TrainAccuracy,
}

/// <summary>Reading and comparing <see cref="TrainingMetric"/>s.</summary>
public static class TrainingMetrics
{
    /// <summary>The value of <paramref name="metric"/> in <paramref name="epoch"/>.</summary>
    public static double Value(this TrainingMetric metric, EpochMetrics epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return metric switch
        {
            TrainingMetric.ValidationLoss => epoch.ValidationLoss,
            TrainingMetric.ValidationAccuracy => epoch.ValidationAccuracy,
            TrainingMetric.Loss => epoch.Loss,
            TrainingMetric.TrainAccuracy => epoch.TrainAccuracy,
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
        };
    }

    /// <summary>True for losses, false for accuracies.</summary>
    public static bool LowerIsBetter(this TrainingMetric metric) => metric is TrainingMetric.ValidationLoss or TrainingMetric.Loss;

    /// <summary>True when <paramref name="value"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/> (any finite value beats NaN).</summary>
    public static bool Improves(this TrainingMetric metric, double value, double best, double minDelta = 0)
    {
        if (!double.IsFinite(value)) return false;
        if (double.IsNaN(best)) return true;
        return metric.LowerIsBetter() ? value < best - minDelta : value > best + minDelta;
    }

    /// <summary>True when the metric is measured on the validation split.</summary>
    public static bool NeedsValidation(this TrainingMetric metric) => metric is TrainingMetric.ValidationLoss or TrainingMetric.ValidationAccuracy;

    /// <summary>"validation loss", "training accuracy" … for messages.</summary>
    public static string Describe(this TrainingMetric metric) => metric switch
    {
        TrainingMetric.ValidationLoss => "validation loss",
        TrainingMetric.ValidationAccuracy => "validation accuracy",
        TrainingMetric.Loss => "training loss",
        _ => "training accuracy",
    };

    /// <summary>Throws a clear error when <paramref name="trainer"/> does not measure <paramref name="metric"/>.</summary>
    internal static void CheckMeasured(this TrainingMetric metric, Trainer trainer, string who)
    {
        if (metric.NeedsValidation() && trainer.Validation is null)
            throw new TrainingSetupException(nameof(TrainingSettings.ValidationSplit),
                $"is 0, but {who} watches the {metric.Describe()}; hold some training data out (ValidationSplit 0.1, say) or watch the training loss.");
    }
}
