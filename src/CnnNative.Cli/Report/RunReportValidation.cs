namespace CnnNative.Cli.Report;

/// <summary>
/// Checks a <see cref="RunReportData"/> before it is drawn, so an inconsistent record (a
/// confusion matrix for 10 classes with 9 names, a gallery image of the wrong length) fails
/// with a message naming the field rather than drawing something wrong.
/// </summary>
internal static class RunReportValidation
{
    public static void Validate(RunReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (string.IsNullOrWhiteSpace(data.Title)) Fail("Title", "The report needs a title.");
        if (data.AutoRefreshSeconds is < 1) Fail("AutoRefreshSeconds", "AutoRefreshSeconds must be at least 1 second, or null for a finished run.");

        int classes = ClassCount(data);
        if (data.ConfusionMatrix is { } matrix)
        {
            if (matrix.GetLength(0) != matrix.GetLength(1))
                Fail("ConfusionMatrix", $"The confusion matrix is {matrix.GetLength(0)}×{matrix.GetLength(1)}; it must be square (true × predicted class).");
            if (data.ClassNames.Count > 0 && data.ClassNames.Count != matrix.GetLength(0))
                Fail("ConfusionMatrix", $"The confusion matrix has {matrix.GetLength(0)} classes but there are {data.ClassNames.Count} class names.");
            foreach (int count in matrix)
                if (count < 0) Fail("ConfusionMatrix", "The confusion matrix holds a negative count.");
        }

        for (int i = 0; i < data.Misclassified.Count; i++)
        {
            MisclassifiedSample sample = data.Misclassified[i];
            // One plane (gray) or three (R, G, B) of Width × Height values.
            if (sample.Width < 1 || sample.Height < 1 || sample.Pixels is null
                || (sample.Pixels.Length != sample.Width * sample.Height && sample.Pixels.Length != 3 * sample.Width * sample.Height))
                Fail("Misclassified", $"Misclassified sample {i} needs {sample.Width}×{sample.Height} pixels, got {sample.Pixels?.Length ?? 0} (a colour image has three planes of them).");
            if (classes > 0 && ((uint)sample.TrueClass >= (uint)classes || (uint)sample.PredictedClass >= (uint)classes))
                Fail("Misclassified", $"Misclassified sample {i} names class {Math.Max(sample.TrueClass, sample.PredictedClass)}, outside the {classes} classes.");
        }

        if (data.FirstLayerFilters is { } filters)
        {
            long needed = (long)filters.Filters * filters.Channels * filters.KernelHeight * filters.KernelWidth;
            if (filters.Filters < 1 || filters.Channels < 1 || filters.KernelHeight < 1 || filters.KernelWidth < 1 || filters.Weights is null || filters.Weights.Length != needed)
                Fail("FirstLayerFilters", $"The filter bank [{filters.Filters}, {filters.Channels}, {filters.KernelHeight}, {filters.KernelWidth}] needs {needed} weights, got {filters.Weights?.Length ?? 0}.");
        }

        if (data.FeatureMaps is { } maps)
        {
            long needed = (long)maps.Maps * maps.Height * maps.Width;
            if (maps.Maps < 1 || maps.Height < 1 || maps.Width < 1 || maps.Values is null || maps.Values.Length != needed)
                Fail("FeatureMaps", $"The feature maps [{maps.Maps}, {maps.Height}, {maps.Width}] need {needed} values, got {maps.Values?.Length ?? 0}.");
            if (maps.Input is not null && (maps.InputWidth < 1 || maps.InputHeight < 1
                || (maps.Input.Length != maps.InputWidth * maps.InputHeight && maps.Input.Length != 3 * maps.InputWidth * maps.InputHeight)))
                Fail("FeatureMaps", $"The feature maps' input image needs {maps.InputWidth}×{maps.InputHeight} pixels, got {maps.Input.Length} (a colour image has three planes of them).");
        }
    }

    /// <summary>Classes known from the names or, failing that, the confusion matrix; 0 when neither says.</summary>
    public static int ClassCount(RunReportData data) =>
        data.ClassNames.Count > 0 ? data.ClassNames.Count : data.ConfusionMatrix?.GetLength(0) ?? 0;

    private static void Fail(string field, string message) => throw new ArgumentException(message, field);
}
