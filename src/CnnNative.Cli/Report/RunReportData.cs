using CnnNative.Nn.Training;

namespace CnnNative.Cli.Report;

/// <summary>
/// Everything <see cref="RunReportRenderer"/> draws, as plain values so the trainer, the
/// <c>cnn report</c> command and tests can all fill it. Every part is optional except the
/// title; a missing part renders as a short note saying it was not recorded.
/// </summary>
internal sealed record RunReportData
{
    /// <summary>The page's heading and title (for example "simple-conv on fashion-mnist").</summary>
    public required string Title { get; init; }

    /// <summary>When the report was made; shown in the header when set.</summary>
    public DateTimeOffset? GeneratedAt { get; init; }

    /// <summary>
    /// While a run is still training, the page reloads itself every this many seconds so an
    /// open browser tab follows it; null (the default) for a finished run.
    /// </summary>
    public int? AutoRefreshSeconds { get; init; }

    /// <summary>Resolved run settings (model, provider, optimizer, learning rate …), in display order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    /// <summary>One row per finished epoch (the rows of metrics.csv).</summary>
    public IReadOnlyList<EpochMetrics> Epochs { get; init; } = [];

    /// <summary>
    /// The training loss over iterations, in order: the book's per-iteration loss curve. Each
    /// point is the mean loss of the mini-batches after the previous point up to its
    /// <see cref="StepLoss.Step"/> (one point per mini-batch when every step is recorded; a
    /// `cnn train` run records one about every 5 % of an epoch, see <see cref="StepLossCsv"/>).
    /// </summary>
    public IReadOnlyList<StepLoss> StepLosses { get; init; } = [];

    /// <summary>
    /// Training time of the whole run: every finished epoch (their <see cref="EpochMetrics.Seconds"/>
    /// carry across interruptions and resumes) plus the part of an epoch that was interrupted
    /// before it finished. Null: the sum of <see cref="Epochs"/>' seconds.
    /// </summary>
    public double? TrainingSeconds { get; init; }

    /// <summary>
    /// The compare page this run is part of (<c>cnn report RUN_A RUN_B …</c>), as a link relative
    /// to the report (for example <c>../compare.html</c>); null when there is none.
    /// </summary>
    public string? CompareLink { get; init; }

    /// <summary>Class names by label index (Fashion-MNIST's ten, or "0"…"9" for MNIST).</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>Test-set counts, [true class, predicted class]; square, one row per class name.</summary>
    public int[,]? ConfusionMatrix { get; init; }

    /// <summary>Some test images the model got wrong, most confident mistakes first is a good order.</summary>
    public IReadOnlyList<MisclassifiedSample> Misclassified { get; init; } = [];

    /// <summary>The first convolution layer's weights, one gray tile per filter and channel (or one colour tile per filter of an RGB model).</summary>
    public FilterBank? FirstLayerFilters { get; init; }

    /// <summary>One test image's activations after the first convolution.</summary>
    public FeatureMapSet? FeatureMaps { get; init; }
}

/// <summary>
/// A test image the model got wrong: <paramref name="Pixels"/> row-major in [0, 1], three planes (R, G, B) for a colour data set (what the
/// network saw, light on dark), its label, the model's answer and that answer's probability.
/// </summary>
internal sealed record MisclassifiedSample(float[] Pixels, int Width, int Height, int TrueClass, int PredictedClass, double Confidence)
{
    /// <summary>Where the image sits in the test set (shown on hover), when known.</summary>
    public int? Index { get; init; }
}

/// <summary>Convolution weights, row-major [Filters, Channels, KernelHeight, KernelWidth] as the layer stores them.</summary>
internal sealed record FilterBank(float[] Weights, int Filters, int Channels, int KernelHeight, int KernelWidth);

/// <summary>
/// Activations [Maps, Height, Width], row-major, and the input image they came from
/// (<paramref name="Input"/> in [0, 1], <paramref name="InputWidth"/> × <paramref name="InputHeight"/>; may be null).
/// </summary>
internal sealed record FeatureMapSet(float[] Values, int Maps, int Height, int Width, float[]? Input = null, int InputWidth = 0, int InputHeight = 0)
{
    /// <summary>Label of the input image (for example "Sneaker (test #12)"), shown above the maps.</summary>
    public string? Caption { get; init; }
}
