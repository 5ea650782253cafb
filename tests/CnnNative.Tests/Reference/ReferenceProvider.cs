using CnnNative.Core;

namespace CnnNative.Tests.Reference;

/// <summary>
/// The oracle: every contract operation written as the obvious loop, in double precision,
/// straight from the XML docs of <see cref="IComputeProvider"/>. Nothing here is fast or
/// clever on purpose — conformance tests compare every real provider against it, and
/// gradient checks run on it because double precision makes central differences exact
/// enough to trust.
/// </summary>
public sealed partial class ReferenceProvider : ComputeProvider
{
    public override string Name => "reference";

    public override ProviderInfo Info { get; } =
        new("reference", "host (double precision, plain loops)", 1, new Dictionary<string, string>());

    internal sealed class ArrayBuffer(IComputeProvider provider, int length) : DeviceBuffer(provider, length)
    {
        public double[] Data { get; private set; } = new double[length];
        protected override void Release() => Data = [];
    }

    private static double[] D(Tensor t) => ((ArrayBuffer)t.Buffer).Data;

    protected override DeviceBuffer AllocateBufferCore(int length) => new ArrayBuffer(this, length);

    protected override void UploadCore(ReadOnlySpan<float> src, Tensor dst)
    {
        var d = D(dst);
        for (int i = 0; i < src.Length; i++) d[i] = src[i];
    }

    protected override void UploadCore(ReadOnlySpan<double> src, Tensor dst) => src.CopyTo(D(dst));

    protected override void DownloadCore(Tensor src, Span<float> dst)
    {
        var s = D(src);
        for (int i = 0; i < dst.Length; i++) dst[i] = (float)s[i];
    }

    protected override void DownloadCore(Tensor src, Span<double> dst) => D(src).AsSpan(0, dst.Length).CopyTo(dst);

    protected override void CopyCore(Tensor src, Tensor dst, int length) => Array.Copy(D(src), D(dst), length);

    protected override void FillCore(Tensor x, float value) => Array.Fill(D(x), value, 0, x.Length);

    protected override void SynchronizeCore() { }

    protected override void GemmCore(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        double[] A = D(a), B = D(b), C = D(c);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transA == Transpose.NoTranspose ? A[i * k + p] : A[p * m + i];
                    double bv = transB == Transpose.NoTranspose ? B[p * n + j] : B[j * k + p];
                    sum += av * bv;
                }
                C[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * C[i * n + j]);
            }
    }

    protected override void BatchedTransposeCore(Tensor src, int batch, int rows, int cols, Tensor dst)
    {
        double[] s = D(src), d = D(dst);
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    d[(b * cols + j) * rows + i] = s[(b * rows + i) * cols + j];
    }

    private static void Map(Tensor x, Tensor y, Func<double, double> f)
    {
        double[] s = D(x), d = D(y);
        for (int i = 0; i < x.Length; i++) d[i] = f(s[i]);
    }

    private static void Map(Tensor a, Tensor b, Tensor c, Func<double, double, double> f)
    {
        double[] sa = D(a), sb = D(b), d = D(c);
        for (int i = 0; i < a.Length; i++) d[i] = f(sa[i], sb[i]);
    }

    protected override void AddCore(Tensor a, Tensor b, Tensor c) => Map(a, b, c, (x, y) => x + y);
    protected override void MultiplyCore(Tensor a, Tensor b, Tensor c) => Map(a, b, c, (x, y) => x * y);
    protected override void ScaleCore(Tensor x, float alpha, Tensor y) => Map(x, y, v => alpha * v);
    protected override void AxpyCore(float alpha, Tensor x, Tensor y) => Map(x, y, y, (xv, yv) => yv + alpha * xv);
    protected override void ReluForwardCore(Tensor x, Tensor y) => Map(x, y, v => v > 0 ? v : 0);
    protected override void ReluBackwardCore(Tensor dy, Tensor y, Tensor dx) => Map(dy, y, dx, (g, v) => v > 0 ? g : 0);
    protected override void SigmoidForwardCore(Tensor x, Tensor y) => Map(x, y, v => 1 / (1 + Math.Exp(-v)));
    protected override void SigmoidBackwardCore(Tensor dy, Tensor y, Tensor dx) => Map(dy, y, dx, (g, v) => g * (1 - v) * v);
    protected override void TanhForwardCore(Tensor x, Tensor y) => Map(x, y, Math.Tanh);
    protected override void TanhBackwardCore(Tensor dy, Tensor y, Tensor dx) => Map(dy, y, dx, (g, v) => g * (1 - v * v));
    protected override void LeakyReluForwardCore(Tensor x, float slope, Tensor y) => Map(x, y, v => v > 0 ? v : slope * v);
    protected override void LeakyReluBackwardCore(Tensor dy, Tensor y, float slope, Tensor dx) => Map(dy, y, dx, (g, v) => v > 0 ? g : slope * g);

    protected override void AddRowBiasCore(Tensor x, Tensor bias, int rows, int cols)
    {
        double[] d = D(x), b = D(bias);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++) d[r * cols + j] += b[j];
    }

    protected override void SumRowsCore(Tensor dy, Tensor db, int rows, int cols)
    {
        double[] g = D(dy), d = D(db);
        for (int j = 0; j < cols; j++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += g[r * cols + j];
            d[j] = sum;
        }
    }

    protected override void AddChannelBiasCore(Tensor x, Tensor bias, int batch, int channels, int spatial)
    {
        double[] d = D(x), b = D(bias);
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
                for (int s = 0; s < spatial; s++) d[(n * channels + c) * spatial + s] += b[c];
    }

    protected override void SumChannelsCore(Tensor dy, Tensor db, int batch, int channels, int spatial)
    {
        double[] g = D(dy), d = D(db);
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
                for (int s = 0; s < spatial; s++) sum += g[(n * channels + c) * spatial + s];
            d[c] = sum;
        }
    }
}
