using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// GEMM (every transpose, α/β, β = 0 over NaN, long tensors) and the batched transpose.
public abstract partial class ProviderConformanceTests
{
    /// <summary>Inputs in [−1, 1): each product is at most |α|, and a float dot product of k of them drifts by about k·ε·|α|.</summary>
    private static Tolerance GemmTolerance(GemmCase c)
    {
        var sum = Tolerance.Sum(c.K, Math.Abs(c.Alpha));
        return new Tolerance(sum.Atol + 4 * Tolerance.Epsilon * Math.Abs(c.Beta), sum.Rtol);
    }

    [ProviderTheory]
    [MemberData(nameof(Cases.GemmData), MemberType = typeof(Cases))]
    public void Gemm_matches_the_oracle(GemmCase c)
    {
        using var h = Harness(c.Numbers);
        var a = h.Input(c.M * c.K, h.Data.Uniform(c.M * c.K));
        var b = h.Input(c.K * c.N, h.Data.Uniform(c.K * c.N));
        // β = 0 must ignore C entirely, NaN included; otherwise C is an input.
        var cc = c.Beta == 0 ? h.Output(c.M * c.N, Prefill.NaN) : h.State(c.M * c.N, h.Data.Uniform(c.M * c.N));
        h.Run((p, t) => p.Gemm(c.OpA, c.OpB, c.M, c.N, c.K, c.Alpha, t(a), t(b), c.Beta, t(cc)), $"Gemm {c}");
        h.Check(cc, GemmTolerance(c), $"Gemm {c}");
    }

    [ProviderTheory]
    [InlineData(3, 5, 7, 0)]
    [InlineData(17, 9, 33, 1)]
    [InlineData(64, 65, 63, 2)]
    [InlineData(1, 257, 2, 3)]
    public void Gemm_uses_only_the_leading_elements_of_longer_tensors(int m, int n, int k, int transposes)
    {
        // Tensors sized for a bigger batch: only the first m·k, k·n and m·n elements take part.
        var c = new GemmCase(m, n, k, (transposes & 1) != 0, (transposes & 2) != 0, 0.75f, 0.5f);
        using var h = Harness(c.Numbers);
        var a = h.Input(m * k + 31, h.Data.Uniform(m * k + 31));
        var b = h.Input(k * n + 7, h.Data.Uniform(k * n + 7));
        var cc = h.State(m * n + 19, h.Data.Uniform(m * n + 19));
        h.Run((p, t) => p.Gemm(c.OpA, c.OpB, m, n, k, c.Alpha, t(a), t(b), c.Beta, t(cc)), $"Gemm {c} on longer tensors");
        h.Check(cc, GemmTolerance(c), $"Gemm {c} on longer tensors");
    }

    [ProviderTheory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 1, 17)]
    [InlineData(1, 17, 1)]
    [InlineData(2, 3, 5)]
    [InlineData(3, 16, 16)]
    [InlineData(1, 33, 65)]
    [InlineData(2, 7, 129)]
    [InlineData(1, 257, 255)]
    [InlineData(4, 576, 30)]
    [InlineData(3, 30, 576)]
    public void BatchedTranspose_matches_the_oracle(int batch, int rows, int cols)
    {
        using var h = Harness(batch, rows, cols);
        int length = batch * rows * cols;
        var src = h.Input(length, h.Data.Uniform(length));
        var dst = h.Output(length);
        h.Run((p, t) => p.BatchedTranspose(t(src), batch, rows, cols, t(dst)), $"BatchedTranspose {batch}×{rows}×{cols}");
        h.Check(dst, Tolerance.Exact, $"BatchedTranspose {batch}×{rows}×{cols}");
    }

    [ProviderTheory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 5)]
    [InlineData(1, 33, 65)]
    [InlineData(2, 7, 129)]
    [InlineData(4, 576, 30)]
    [InlineData(3, 30, 576)]
    [InlineData(5, 9, 17)]
    public void BatchedTransposeAddChannelBias_matches_the_oracle(int batch, int rows, int cols)
    {
        using var h = Harness(batch, rows, cols);
        int length = batch * rows * cols;
        var src = h.Input(length, h.Data.Uniform(length));
        var bias = h.Input(cols, h.Data.Uniform(cols));
        var dst = h.Output(length, Prefill.NaN);
        h.Run((p, t) => p.BatchedTransposeAddChannelBias(t(src), batch, rows, cols, t(bias), t(dst)), $"BatchedTransposeAddChannelBias {batch}×{rows}×{cols}");
        h.Check(dst, Tolerance.Rounding, $"BatchedTransposeAddChannelBias {batch}×{rows}×{cols}");
    }

    [ProviderTheory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 5)]
    [InlineData(1, 33, 65)]
    [InlineData(2, 7, 129)]
    [InlineData(4, 576, 30)]
    [InlineData(100, 30, 576)]
    [InlineData(5, 9, 17)]
    public void BatchedTransposeSumChannels_matches_the_oracle(int batch, int rows, int cols)
    {
        using var h = Harness(batch, rows, cols);
        int length = batch * rows * cols;
        var src = h.Input(length, h.Data.Uniform(length));
        var dst = h.Output(length, Prefill.NaN);
        var sums = h.Output(rows, Prefill.NaN);
        h.Run((p, t) => p.BatchedTransposeSumChannels(t(src), batch, rows, cols, t(dst), t(sums)), $"BatchedTransposeSumChannels {batch}×{rows}×{cols}");
        h.Check(dst, Tolerance.Exact, $"BatchedTransposeSumChannels {batch}×{rows}×{cols} (transpose)");
        h.Check(sums, Tolerance.Sum(batch * cols, 1), $"BatchedTransposeSumChannels {batch}×{rows}×{cols} (sums)");
    }
}
