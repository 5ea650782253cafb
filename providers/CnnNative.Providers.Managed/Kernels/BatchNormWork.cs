using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CnnNative.Core;
using CnnNative.Providers.Managed.Threading;

namespace CnnNative.Providers.Managed.Kernels;

internal enum BatchNormKind { ForwardTraining, ForwardInference, Backward }

/// <summary>
/// Batch normalisation over x seen as [Batch, Channels, Spatial]. Each piece takes a range of
/// channels; for every batch row that range is one contiguous run of (c1 − c0)·Spatial values.
/// When a channel's run in a row holds at least <see cref="SegmentMinimum"/> values (after a
/// convolution) the piece walks the rows front to back one channel run at a time (see
/// BatchNormWork.Segments.cs). Below that (1 value per activation after a dense layer)
/// statistics accumulate position by position with full vectors and are then folded per
/// channel in double; per-position copies of the per-channel constants turn every pass into a
/// plain vector loop, and mean and variance take two passes (no catastrophic cancellation).
/// The backward pass sums Σ dy and Σ dy·(x − μ) together in one pass either way.
/// </summary>
internal sealed unsafe partial class BatchNormWork(NativeScratch[] scratch) : IParallelWork
{
    public BatchNormKind Kind;
    public BatchNormGeometry G;
    public float* X, Y, Dy, Dx;
    public float* Gamma, Beta, RunningMean, RunningVar, SaveMean, SaveInvStd, DGamma, DBeta;
    public float Momentum, Epsilon;

    /// <summary>Forward inference only: max(·, 0) after the affine map (a following ReLU folded in).</summary>
    public bool Relu;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Execute(int part, int parts)
    {
        var (c0, c1) = RangeWork.Chunk(G.Channels, part, parts);
        if (c0 >= c1) return;
        int s = G.Spatial, length = (c1 - c0) * s;
        if (s >= SegmentMinimum)
        {
            BySegments(c0, c1, scratch[part]);
            return;
        }
        // Scratch: five float runs (block, three per-position constants, a second block) then two double runs.
        float* f = scratch[part].Get<float>(9L * length + 64);
        var run = new Runs(f, length);
        switch (Kind)
        {
            case BatchNormKind.ForwardTraining: ForwardTraining(c0, c1, run); break;
            case BatchNormKind.ForwardInference: ForwardInference(c0, c1, run); break;
            case BatchNormKind.Backward: Backward(c0, c1, run); break;
        }
    }

    private readonly struct Runs(float* f, int length)
    {
        public float* Block => f;
        public float* A => f + length;
        public float* B => f + 2L * length;
        public float* C => f + 3L * length;
        public float* Spare => f + 4L * length;
        public double* Sum1 => (double*)(f + 5L * length + (length & 1));
        public double* Sum2 => Sum1 + length;
    }

    private void ForwardTraining(int c0, int c1, Runs run)
    {
        int s = G.Spatial, length = (c1 - c0) * s, rows = G.Batch;
        long stride = (long)G.Channels * s, offset = (long)c0 * s;
        double m = G.GroupSize;
        float* x = X + offset, mu = run.A;

        RowAccumulator.Sum(new ValueTerm(), x, x, stride, rows, length, run.B, run.Sum1, run.Block);
        for (int c = c0; c < c1; c++)
        {
            float mean = (float)(Fold(run.Sum1, c - c0, s) / m);
            SaveMean[c] = mean;
            new Span<float>(mu + (long)(c - c0) * s, s).Fill(mean);
        }
        RowAccumulator.Sum(new SquaredDeviationTerm(), x, x, stride, rows, length, mu, run.Sum2, run.Block);
        float* scale = run.B, shift = run.C;
        for (int c = c0; c < c1; c++)
        {
            var (sc, sh) = Statistics(c, Fold(run.Sum2, c - c0, s) / m);
            new Span<float>(scale + (long)(c - c0) * s, s).Fill(sc);
            new Span<float>(shift + (long)(c - c0) * s, s).Fill(sh);
        }
        AffineRows(X + offset, Y + offset, stride, rows, scale, shift, length, relu: false);
    }

    /// <summary>Saves 1/σ for channel <paramref name="c"/> (its mean is in SaveMean already), updates the running averages and returns the affine map's scale and shift.</summary>
    private (float Scale, float Shift) Statistics(int c, double variance)
    {
        float invStd = (float)(1.0 / Math.Sqrt(variance + Epsilon));
        SaveInvStd[c] = invStd;
        RunningMean[c] = Momentum * RunningMean[c] + (1f - Momentum) * SaveMean[c];
        RunningVar[c] = Momentum * RunningVar[c] + (1f - Momentum) * (float)variance;
        float sc = Gamma[c] * invStd;
        return (sc, Beta[c] - SaveMean[c] * sc);
    }

    /// <summary>γ/√(σ² + ε) in double, rounded once: the one formula every inference path uses, so a fused convolution epilogue and the layer-by-layer batch-norm agree bit for bit.</summary>
    internal static float InferenceScale(float gamma, float runningVar, float epsilon) => (float)(gamma / Math.Sqrt(runningVar + (double)epsilon));

    private (float Scale, float Shift) InferenceAffine(int c)
    {
        float sc = InferenceScale(Gamma[c], RunningVar[c], Epsilon);
        return (sc, Beta[c] - RunningMean[c] * sc);
    }

    private void ForwardInference(int c0, int c1, Runs run)
    {
        int s = G.Spatial, length = (c1 - c0) * s;
        long stride = (long)G.Channels * s, offset = (long)c0 * s;
        float* scale = run.B, shift = run.C;
        for (int c = c0; c < c1; c++)
        {
            var (sc, sh) = InferenceAffine(c);
            new Span<float>(scale + (long)(c - c0) * s, s).Fill(sc);
            new Span<float>(shift + (long)(c - c0) * s, s).Fill(sh);
        }
        AffineRows(X + offset, Y + offset, stride, G.Batch, scale, shift, length, Relu);
    }

    private void Backward(int c0, int c1, Runs run)
    {
        int s = G.Spatial, length = (c1 - c0) * s, rows = G.Batch;
        long stride = (long)G.Channels * s, offset = (long)c0 * s;
        float* x = X + offset, dy = Dy + offset, mu = run.A;
        for (int c = c0; c < c1; c++) new Span<float>(mu + (long)(c - c0) * s, s).Fill(SaveMean[c]);

        // Σ dy and Σ dy·(x − μ) in one pass over x and dy.
        RowAccumulator.Sum2(new GradientTerm(), new GradientDeviationTerm(), x, dy, stride, rows, length, mu,
            run.Sum1, run.Sum2, run.Block, run.Spare);
        // dx = γ·σ⁻¹·dy − γ·σ⁻¹·dβ/M − γ·σ⁻²·dγ/M·(x − μ), with dγ = σ⁻¹·Σ dy·(x − μ).
        float* a = run.B, b = run.C, k = run.Block;
        for (int c = c0; c < c1; c++)
        {
            var (ga, gb, gk) = GradientConstants(c, Fold(run.Sum1, c - c0, s), Fold(run.Sum2, c - c0, s));
            long at = (long)(c - c0) * s;
            new Span<float>(a + at, s).Fill(ga);
            new Span<float>(b + at, s).Fill(gb);
            new Span<float>(k + at, s).Fill(gk);
        }
        // Chunks of positions outer, rows inner, so the per-position constants stay in L1.
        for (int j0 = 0; j0 < length; j0 += RowAccumulator.Chunk)
        {
            int n = Math.Min(RowAccumulator.Chunk, length - j0);
            for (int r = 0; r < rows; r++)
                Gradient(dy + r * stride + j0, x + r * stride + j0, mu + j0, a + j0, b + j0, k + j0, Dx + offset + r * stride + j0, n);
        }
    }

    /// <summary>Saves dβ = Σ dy and dγ = σ⁻¹·Σ dy·(x − μ) for channel <paramref name="c"/> and returns dx's constants a = γ·σ⁻¹, b = a·dβ/M, k = a·σ⁻¹·dγ/M.</summary>
    private (float A, float B, float K) GradientConstants(int c, double sumDy, double sumDyDeviation)
    {
        float m = G.GroupSize, invStd = SaveInvStd[c];
        float dBeta = (float)sumDy;
        float dGamma = (float)(sumDyDeviation * invStd);
        DBeta[c] = dBeta;
        DGamma[c] = dGamma;
        float gs = Gamma[c] * invStd;
        return (gs, gs * dBeta / m, gs * invStd * dGamma / m);
    }

    /// <summary>Σ of the <paramref name="s"/> positions of channel <paramref name="c"/> (relative to the piece).</summary>
    private static double Fold(double* sums, int c, int s)
    {
        double total = 0;
        double* p = sums + (long)c * s;
        for (int i = 0; i < s; i++) total += p[i];
        return total;
    }

    /// <summary>y[r] = x[r]·scale + shift (then the ReLU when <paramref name="relu"/>) for every row, in L1-sized chunks of positions.</summary>
    private static void AffineRows(float* x, float* y, long stride, int rows, float* scale, float* shift, int length, bool relu)
    {
        for (int j0 = 0; j0 < length; j0 += RowAccumulator.Chunk)
        {
            int n = Math.Min(RowAccumulator.Chunk, length - j0);
            for (int r = 0; r < rows; r++)
                if (relu) Affine<ReluOn>(x + r * stride + j0, scale + j0, shift + j0, y + r * stride + j0, n);
                else Affine<ReluOff>(x + r * stride + j0, scale + j0, shift + j0, y + r * stride + j0, n);
        }
    }

    /// <summary>y = x·scale + shift position by position, then max(·, 0) when <typeparamref name="TRelu"/> is on (NaN → 0, as the ReLU's x &gt; 0 test gives). y may be x.</summary>
    private static void Affine<TRelu>(float* x, float* scale, float* shift, float* y, int n) where TRelu : struct, ISwitch
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), Vector512.Load(scale + i), Vector512.Load(shift + i));
                (TRelu.On ? Vector512.MaxNative(v, Vector512<float>.Zero) : v).Store(y + i);
            }
        for (; i <= n - 8; i += 8)
        {
            var v = Vector256.FusedMultiplyAdd(Vector256.Load(x + i), Vector256.Load(scale + i), Vector256.Load(shift + i));
            (TRelu.On ? Vector256.MaxNative(v, Vector256<float>.Zero) : v).Store(y + i);
        }
        for (; i < n; i++)
        {
            float v = MathF.FusedMultiplyAdd(x[i], scale[i], shift[i]);
            y[i] = TRelu.On && !(v > 0) ? 0f : v;
        }
    }

    /// <summary>dx = a·dy − b − k·(x − μ), position by position. dx may be dy.</summary>
    private static void Gradient(float* dy, float* x, float* mu, float* a, float* b, float* k, float* dx, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16)
                (Vector512.Load(a + i) * Vector512.Load(dy + i) - Vector512.Load(b + i)
                    - Vector512.Load(k + i) * (Vector512.Load(x + i) - Vector512.Load(mu + i))).Store(dx + i);
        for (; i <= n - 8; i += 8)
            (Vector256.Load(a + i) * Vector256.Load(dy + i) - Vector256.Load(b + i)
                - Vector256.Load(k + i) * (Vector256.Load(x + i) - Vector256.Load(mu + i))).Store(dx + i);
        for (; i < n; i++) dx[i] = a[i] * dy[i] - b[i] - k[i] * (x[i] - mu[i]);
    }
}

/// <summary>A compile-time flag for a generic kernel: the JIT keeps only the branch the struct selects.</summary>
internal interface ISwitch
{
    static abstract bool On { get; }
}

internal struct ReluOn : ISwitch { public static bool On => true; }

internal struct ReluOff : ISwitch { public static bool On => false; }
