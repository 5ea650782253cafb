using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// Max pooling (−∞ padding, ties to the first element in window order, argmax exact) and
// average pooling (padding counts as zeros), forward and backward.
public abstract partial class ProviderConformanceTests
{
    public enum PoolInput
    {
        /// <summary>Distinct random values.</summary>
        Random,

        /// <summary>Integers in [−2, 2]: most windows hold ties, which must go to the first element.</summary>
        Ties,

        /// <summary>All values negative: a kernel that pads with 0 instead of −∞ returns 0 at the border.</summary>
        Negative,
    }

    public static TheoryData<PoolCase, PoolInput> PoolInputData()
    {
        var data = new TheoryData<PoolCase, PoolInput>();
        foreach (var pool in Cases.Pools)
            foreach (var kind in Enum.GetValues<PoolInput>())
                data.Add(pool, kind);
        return data;
    }

    private static TensorShape InputShape(in PoolGeometry g) => new(g.Batch, g.Channels, g.Height, g.Width);

    private static TensorShape OutputShape(in PoolGeometry g) => new(g.Batch, g.Channels, g.OutputHeight, g.OutputWidth);

    private static float[] PoolValues(TestData data, int length, PoolInput kind) => kind switch
    {
        PoolInput.Ties => data.Levels(length, -2, 2),
        PoolInput.Negative => data.Uniform(length, -5, -0.5f),
        _ => data.Uniform(length),
    };

    [ProviderTheory]
    [MemberData(nameof(PoolInputData))]
    public void MaxPoolForward_matches_the_oracle(PoolCase c, PoolInput kind)
    {
        var g = c.Geometry;
        using var h = Harness([.. c.Numbers, (int)kind]);
        var x = h.Input(InputShape(g), PoolValues(h.Data, g.InputLength, kind));
        var y = h.Output(OutputShape(g));
        var argmax = h.Output(OutputShape(g), Prefill.NaN);
        h.Run((p, t) => p.MaxPoolForward(t(x), g, t(y), t(argmax)), $"MaxPoolForward {g}, {kind}");
        h.Check(y, Tolerance.Exact, $"MaxPoolForward {g}, {kind}: y");
        h.Check(argmax, Tolerance.Exact, $"MaxPoolForward {g}, {kind}: argmax");
    }

    [ProviderTheory]
    [MemberData(nameof(PoolInputData))]
    public void MaxPoolBackward_matches_the_oracle(PoolCase c, PoolInput kind)
    {
        var g = c.Geometry;
        using var h = Harness([.. c.Numbers, (int)kind, 41]);
        var argmax = h.Input(OutputShape(g), OracleArgmax(g, PoolValues(h.Data, g.InputLength, kind)));
        var dy = h.Input(OutputShape(g), h.Data.Uniform(g.OutputLength));
        var dx = h.Output(InputShape(g));
        h.Run((p, t) => p.MaxPoolBackward(t(dy), t(argmax), g, t(dx)), $"MaxPoolBackward {g}, {kind}");
        int terms = Overlap(g.PoolHeight, g.StrideHeight) * Overlap(g.PoolWidth, g.StrideWidth);
        h.Check(dx, Tolerance.Sum(terms, 1), $"MaxPoolBackward {g}, {kind}");
    }

    [ProviderTheory]
    [MemberData(nameof(Cases.PoolData), MemberType = typeof(Cases))]
    public void AvgPoolForward_matches_the_oracle(PoolCase c)
    {
        var g = c.Geometry;
        using var h = Harness([.. c.Numbers, 42]);
        var x = h.Input(InputShape(g), h.Data.Uniform(g.InputLength));
        var y = h.Output(OutputShape(g), Prefill.NaN);
        h.Run((p, t) => p.AvgPoolForward(t(x), g, t(y)), $"AvgPoolForward {g}");
        h.Check(y, Tolerance.Sum(g.PoolHeight * g.PoolWidth, 1), $"AvgPoolForward {g}");
    }

    [ProviderTheory]
    [MemberData(nameof(Cases.PoolData), MemberType = typeof(Cases))]
    public void AvgPoolBackward_matches_the_oracle(PoolCase c)
    {
        var g = c.Geometry;
        using var h = Harness([.. c.Numbers, 43]);
        var dy = h.Input(OutputShape(g), h.Data.Uniform(g.OutputLength));
        var dx = h.Output(InputShape(g));
        h.Run((p, t) => p.AvgPoolBackward(t(dy), g, t(dx)), $"AvgPoolBackward {g}");
        int terms = Overlap(g.PoolHeight, g.StrideHeight) * Overlap(g.PoolWidth, g.StrideWidth);
        h.Check(dx, Tolerance.Sum(terms, 1), $"AvgPoolBackward {g}");
    }

    /// <summary>The oracle's argmax for <paramref name="x"/>, so backward is tested on identical, rule-abiding indices.</summary>
    private float[] OracleArgmax(in PoolGeometry g, float[] x)
    {
        using var xs = Oracle.Allocate(InputShape(g));
        using var y = Oracle.Allocate(OutputShape(g));
        using var argmax = Oracle.Allocate(OutputShape(g));
        Oracle.Upload(x, xs);
        Oracle.MaxPoolForward(xs, g, y, argmax);
        var result = new float[g.OutputLength];
        Oracle.Download(argmax, result);
        return result;
    }
}
