namespace CnnNative.Providers.Managed.Kernels;

/// <summary>
/// The channel-run form of batch normalisation (Spatial ≥ <see cref="SegmentMinimum"/>): every
/// pass walks the piece's rows front to back, one channel's H·W run at a time, with that
/// channel's constants as scalars, so each pass is one sequential stream through memory
/// (instead of 1024-value slices of a hundred rows, which restart the prefetchers every 4 KiB)
/// and nothing is filled per position.
/// </summary>
internal sealed unsafe partial class BatchNormWork
{
    /// <summary>Values per channel run from which the channel-run form pays (its sums end in a horizontal add per run).</summary>
    internal const int SegmentMinimum = 16;

    private void BySegments(int c0, int c1, NativeScratch slot)
    {
        int channels = c1 - c0;
        // Scratch: two doubles then three floats per channel, then a double per channel run (forward training's run means).
        double* d = slot.Get<double>(4L * channels + (long)G.Batch * channels);
        float* f = (float*)(d + 2 * channels);
        switch (Kind)
        {
            case BatchNormKind.ForwardTraining: ForwardTrainingBySegments(c0, c1, d, d + channels, d + 4 * channels, f, f + channels); break;
            case BatchNormKind.ForwardInference: ForwardInferenceBySegments(c0, c1, f, f + channels); break;
            case BatchNormKind.Backward: BackwardBySegments(c0, c1, d, d + channels, f, f + channels, f + 2 * channels); break;
        }
    }

    /// <summary>
    /// Mean and variance in ONE pass over x. Each channel run (H·W values, a few KiB) is read
    /// from memory once for its float sum, giving a float shift a ≈ its mean, then again from
    /// L1 for Σ(x − a) and Σ(x − a)²; its exact mean a + Σ(x − a)/n and sum of squared
    /// deviations M2 = Σ(x − a)² − (Σ(x − a))²/n lose nothing to cancellation because a is
    /// within rounding of the mean. The runs (all of n values) are merged in double as Chan's
    /// pairwise formula does for equal parts: mean = mean of the run means, M2 = Σ M2_run +
    /// n·Σ (mean_run − mean)² — both sums of non-negative terms, so, unlike Σx² − (Σx)²/M, it
    /// stays exact when the mean is large against the spread.
    /// </summary>
    private void ForwardTrainingBySegments(int c0, int c1, double* mean, double* m2, double* runMeans, float* scale, float* shift)
    {
        int s = G.Spatial, channels = c1 - c0, rows = G.Batch;
        long stride = (long)G.Channels * s;
        float* x = X + (long)c0 * s;
        float inverse = 1f / s;
        double inverseD = 1.0 / s;
        new Span<double>(mean, channels).Clear();
        new Span<double>(m2, channels).Clear();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < channels; c++)
            {
                float* p = x + r * stride + (long)c * s;
                float a = ChannelSegmentKernels.Sum(p, s) * inverse;
                var (dev, squares) = ChannelSegmentKernels.ShiftedMoments(p, s, a);
                double runMean = a + dev * inverseD;
                runMeans[r * channels + c] = runMean;
                mean[c] += runMean;
                m2[c] += Math.Max(0, squares - dev * (dev * inverseD));
            }
        for (int c = 0; c < channels; c++)
        {
            mean[c] /= rows;
            double between = 0;
            for (int r = 0; r < rows; r++)
            {
                double delta = runMeans[r * channels + c] - mean[c];
                between += delta * delta;
            }
            m2[c] += s * between;
        }
        double m = G.GroupSize;
        for (int c = 0; c < channels; c++)
        {
            SaveMean[c0 + c] = (float)mean[c];
            (scale[c], shift[c]) = Statistics(c0 + c, m2[c] / m);
        }
        AffineRuns<ReluOff>(X, Y, c0, c1, scale, shift);
    }

    private void ForwardInferenceBySegments(int c0, int c1, float* scale, float* shift)
    {
        for (int c = c0; c < c1; c++) (scale[c - c0], shift[c - c0]) = InferenceAffine(c);
        if (Relu) AffineRuns<ReluOn>(X, Y, c0, c1, scale, shift);
        else AffineRuns<ReluOff>(X, Y, c0, c1, scale, shift);
    }

    /// <summary>Σ dy and Σ dy·(x − μ) in one pass over x and dy, then dx in a second.</summary>
    private void BackwardBySegments(int c0, int c1, double* sumDy, double* sumDyDeviation, float* a, float* b, float* k)
    {
        int s = G.Spatial, channels = c1 - c0, rows = G.Batch;
        long stride = (long)G.Channels * s, offset = (long)c0 * s;
        float* x = X + offset, dy = Dy + offset, dx = Dx + offset;
        new Span<double>(sumDy, channels).Clear();
        new Span<double>(sumDyDeviation, channels).Clear();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < channels; c++)
            {
                long at = r * stride + (long)c * s;
                var (g, gd) = ChannelSegmentKernels.GradientSums(x + at, dy + at, s, SaveMean[c0 + c]);
                sumDy[c] += g;
                sumDyDeviation[c] += gd;
            }
        for (int c = 0; c < channels; c++)
            (a[c], b[c], k[c]) = GradientConstants(c0 + c, sumDy[c], sumDyDeviation[c]);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < channels; c++)
            {
                long at = r * stride + (long)c * s;
                ChannelSegmentKernels.Gradient(dy + at, x + at, dx + at, s, a[c], b[c], k[c], SaveMean[c0 + c]);
            }
    }

    /// <summary>y = x·scale[c] + shift[c] over channels c0…c1 of every row. y may be x.</summary>
    private void AffineRuns<TRelu>(float* x, float* y, int c0, int c1, float* scale, float* shift) where TRelu : struct, ISwitch
    {
        int s = G.Spatial;
        long stride = (long)G.Channels * s;
        for (int r = 0; r < G.Batch; r++)
            for (int c = c0; c < c1; c++)
            {
                long at = r * stride + (long)c * s;
                ChannelSegmentKernels.Affine<TRelu>(x + at, y + at, s, scale[c - c0], shift[c - c0]);
            }
    }
}
