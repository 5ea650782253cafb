namespace CnnNative.Nn.Training;

/// <summary>
/// A model's predictions on a labelled data set, summarised: <see cref="Confusion"/>[true, predicted]
/// counts samples of class <c>true</c> predicted as <c>predicted</c>.
/// </summary>
public sealed class EvaluationResult
{
    public EvaluationResult(IReadOnlyList<string> classNames, long[,] confusion)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(confusion);
        if (confusion.GetLength(0) != classNames.Count || confusion.GetLength(1) != classNames.Count)
            throw new ArgumentException($"The confusion matrix must be {classNames.Count}×{classNames.Count}.", nameof(confusion));
        ClassNames = classNames;
        Confusion = confusion;
        for (int t = 0; t < Classes; t++)
            for (int p = 0; p < Classes; p++)
            {
                Samples += confusion[t, p];
                if (t == p) Correct += confusion[t, p];
            }
    }

    public IReadOnlyList<string> ClassNames { get; }

    public int Classes => ClassNames.Count;

    /// <summary>[true class, predicted class] → samples.</summary>
    public long[,] Confusion { get; }

    public long Samples { get; }

    public long Correct { get; }

    /// <summary>Fraction of all samples predicted correctly.</summary>
    public double Accuracy => Samples == 0 ? 0 : Correct / (double)Samples;

    /// <summary>Samples whose true class is <paramref name="c"/>.</summary>
    public long SamplesOf(int c)
    {
        long n = 0;
        for (int p = 0; p < Classes; p++) n += Confusion[c, p];
        return n;
    }

    /// <summary>Recall of class <paramref name="c"/>: the fraction of its samples predicted as it (NaN when it has none).</summary>
    public double ClassAccuracy(int c)
    {
        long n = SamplesOf(c);
        return n == 0 ? double.NaN : Confusion[c, c] / (double)n;
    }
}
