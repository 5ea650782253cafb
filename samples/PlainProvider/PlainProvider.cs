using CnnNative.Core;

namespace CnnNative.Samples.PlainProvider;

/// <summary>
/// A provider written the cheap way: it implements only the minimal core of
/// <see cref="ComputeProvider"/> — memory, GEMM, im2col/col2im, Axpy and Scale — as plain
/// single-threaded loops over <c>float[]</c>. Every other operation comes from the base class's
/// composite defaults (convolution via im2col + GEMM, bias via rank-1 GEMMs, SGD via Axpy…) or
/// its host fallback, and the whole conformance suite passes. A real provider (CUDA, Vulkan, a
/// vendor BLAS) starts the same way and then overrides operations one by one for speed.
/// </summary>
public sealed class PlainProvider : ComputeProvider
{
    /// <summary>The name configuration selects it by.</summary>
    public const string ProviderName = "plain";

    /// <inheritdoc/>
    public override string Name => ProviderName;

    /// <inheritdoc/>
    public override ProviderInfo Info { get; } =
        new(ProviderName, "host (plain loops, minimal core only)", 1, new Dictionary<string, string> { ["plugin"] = typeof(PlainProvider).Assembly.Location });

    private sealed class ArrayBuffer(IComputeProvider provider, int length) : DeviceBuffer(provider, length)
    {
        public float[] Data { get; private set; } = new float[length];

        protected override void Release() => Data = [];
    }

    private static float[] F(Tensor t) => ((ArrayBuffer)t.Buffer).Data;

    /// <inheritdoc/>
    protected override DeviceBuffer AllocateBufferCore(int length) => new ArrayBuffer(this, length);

    /// <inheritdoc/>
    protected override void UploadCore(ReadOnlySpan<float> src, Tensor dst) => src.CopyTo(F(dst));

    /// <inheritdoc/>
    protected override void DownloadCore(Tensor src, Span<float> dst) => F(src).AsSpan(0, dst.Length).CopyTo(dst);

    /// <inheritdoc/>
    protected override void CopyCore(Tensor src, Tensor dst, int length) => Array.Copy(F(src), F(dst), length);

    /// <inheritdoc/>
    protected override void FillCore(Tensor x, float value) => Array.Fill(F(x), value, 0, x.Length);

    /// <inheritdoc/>
    protected override void SynchronizeCore() { }

    /// <inheritdoc/>
    protected override void GemmCore(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        float[] A = F(a), B = F(b), C = F(c);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                    sum += (transA == Transpose.NoTranspose ? A[i * k + p] : A[p * m + i])
                         * (transB == Transpose.NoTranspose ? B[p * n + j] : B[j * k + p]);
                // beta = 0 ignores C's old contents, NaN included, as the contract says.
                C[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * C[i * n + j]);
            }
    }

    /// <inheritdoc/>
    protected override void Im2ColCore(Tensor x, in ConvGeometry g, Tensor col)
    {
        float[] src = F(x), dst = F(col);
        ForEachPatchElement(g, (column, input) => dst[column] = input < 0 ? 0f : src[input]);
    }

    /// <inheritdoc/>
    protected override void Col2ImCore(Tensor col, in ConvGeometry g, Tensor dx)
    {
        float[] src = F(col), dst = F(dx);
        Array.Clear(dst, 0, g.InputLength);
        ForEachPatchElement(g, (column, input) => { if (input >= 0) dst[input] += src[column]; });
    }

    /// <summary>
    /// The im2col layout once: <paramref name="visit"/>(index in the column matrix, index in the
    /// input or −1 in the padding) for every element of every patch.
    /// </summary>
    private static void ForEachPatchElement(in ConvGeometry g, Action<int, int> visit)
    {
        int column = 0;
        for (int n = 0; n < g.Batch; n++)
            for (int oh = 0; oh < g.OutputHeight; oh++)
                for (int ow = 0; ow < g.OutputWidth; ow++)
                    for (int c = 0; c < g.Channels; c++)
                        for (int kh = 0; kh < g.KernelHeight; kh++)
                            for (int kw = 0; kw < g.KernelWidth; kw++, column++)
                            {
                                int h = oh * g.StrideHeight - g.PadHeight + kh, w = ow * g.StrideWidth - g.PadWidth + kw;
                                bool inside = h >= 0 && h < g.Height && w >= 0 && w < g.Width;
                                visit(column, inside ? ((n * g.Channels + c) * g.Height + h) * g.Width + w : -1);
                            }
    }

    /// <inheritdoc/>
    protected override void AxpyCore(float alpha, Tensor x, Tensor y)
    {
        float[] s = F(x), d = F(y);
        for (int i = 0; i < y.Length; i++) d[i] += alpha * s[i];
    }

    /// <inheritdoc/>
    protected override void ScaleCore(Tensor x, float alpha, Tensor y)
    {
        float[] s = F(x), d = F(y);
        for (int i = 0; i < y.Length; i++) d[i] = alpha * s[i];
    }
}
