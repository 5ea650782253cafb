namespace CnnNative.Nn.Training;

/// <summary>
/// A model's predictions on a labelled data set, summarised: <see cref="Confusion"/>[true, predicted]
/// counts samples of class <c>true</c> predicted as <c>predicted</c>.
/// </summary>
public sealed class EvaluationResult
{
    /// <summary>A summary of <paramref name="confusion"/> (held, not copied): [true class, predicted class] → samples.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The matrix is not classes × classes.</exception>
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

    /// <summary>A display name per class index, from the data set.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of classes (the confusion matrix is Classes × Classes).</summary>
    public int Classes => ClassNames.Count;

    /// <summary>[true class, predicted class] → samples.</summary>
    public long[,] Confusion { get; }

    /// <summary>Samples evaluated: the sum of the confusion matrix.</summary>
    public long Samples { get; }

    /// <summary>Samples predicted correctly: the diagonal's sum.</summary>
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
