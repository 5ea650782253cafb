namespace CnnNative.Cli.Report;

/// <summary>
/// What a trained model does on the test set, for the report: the confusion matrix, the
/// images it got wrong (most confident mistakes first), its first-layer filters and the
/// feature maps of one test image. <see cref="FirstLayerFilters"/> and
/// <see cref="FeatureMaps"/> are null for a model without a convolution.
/// </summary>
internal sealed record ModelInsights(
    int[,] ConfusionMatrix,
    IReadOnlyList<MisclassifiedSample> Misclassified,
    FilterBank? FirstLayerFilters,
    FeatureMapSet? FeatureMaps);
