using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// Bias over rows (affine) and over channels (convolution), and their gradient sums.
public abstract partial class ProviderConformanceTests
{
    [ProviderTheory]
    [InlineData(1, 1)]
    [InlineData(1, 257)]
    [InlineData(257, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 16)]
    [InlineData(2, 17)]
    [InlineData(64, 10)]
    [InlineData(100, 33)]
    [InlineData(7, 129)]
    [InlineData(1000, 30)]
    public void AddRowBias_and_SumRows_match_the_oracle(int rows, int cols)
    {
        using var h = Harness(rows, cols, 21);
        var bias = h.Input(cols, h.Data.Uniform(cols));
        var x = h.State(new TensorShape(rows, cols), h.Data.Uniform(rows * cols));
        h.Run((p, t) => p.AddRowBias(t(x), t(bias)), $"AddRowBias [{rows}, {cols}]");
        h.Check(x, Tolerance.Rounding, $"AddRowBias [{rows}, {cols}]");

        var dy = h.Input(new TensorShape(rows, cols), h.Data.Uniform(rows * cols));
        var db = h.Output(cols, Prefill.NaN);
        h.Run((p, t) => p.SumRows(t(dy), t(db)), $"SumRows [{rows}, {cols}]");
        h.Check(db, Tolerance.Sum(rows, 1), $"SumRows [{rows}, {cols}]");
    }

    [ProviderFact]
    public void AddRowBias_sees_any_rank_as_rows_of_the_bias_length()
    {
        using var h = Harness(22);
        var bias = h.Input(15, h.Data.Uniform(15));
        var x = h.State(new TensorShape(2, 3, 5, 5), h.Data.Uniform(150)); // 10 rows of 15
        h.Run((p, t) => p.AddRowBias(t(x), t(bias)), "AddRowBias on a rank-4 tensor");
        h.Check(x, Tolerance.Rounding, "AddRowBias on a rank-4 tensor");
        var db = h.Output(15, Prefill.NaN);
        h.Run((p, t) => p.SumRows(t(x), t(db)), "SumRows of a rank-4 tensor");
        h.Check(db, Tolerance.Sum(10, 2), "SumRows of a rank-4 tensor");
    }

    public static TheoryData<int[]> ChannelShapes() => new(
    [
        [1, 1, 1, 1],
        [2, 3, 5, 5],
        [1, 16, 7, 7],
        [3, 5, 1, 1],
        [2, 30, 24, 24],
        [4, 7, 3],
        [5, 9],
        [1, 257, 1, 3],
        [3, 2, 17, 9],
    ]);

    [ProviderTheory]
    [MemberData(nameof(ChannelShapes))]
    public void AddChannelBias_and_SumChannels_match_the_oracle(int[] dims)
    {
        var shape = new TensorShape(dims);
        int channels = dims[1], perChannel = shape.Length / channels;
        using var h = Harness([.. dims, 23]);
        var bias = h.Input(channels, h.Data.Uniform(channels));
        var x = h.State(shape, h.Data.Uniform(shape.Length));
        h.Run((p, t) => p.AddChannelBias(t(x), t(bias)), $"AddChannelBias {shape}");
        h.Check(x, Tolerance.Rounding, $"AddChannelBias {shape}");

        var dy = h.Input(shape, h.Data.Uniform(shape.Length));
        var db = h.Output(channels, Prefill.NaN);
        h.Run((p, t) => p.SumChannels(t(dy), t(db)), $"SumChannels {shape}");
        h.Check(db, Tolerance.Sum(perChannel, 1), $"SumChannels {shape}");
    }
}
