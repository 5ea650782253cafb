using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// im2col (an exact gather, zeros in the padding) and its adjoint col2im (overlaps accumulate).
public abstract partial class ProviderConformanceTests
{
    /// <summary>How many windows can cover one input element: the most terms col2im adds.</summary>
    private static int Overlap(int kernel, int stride) => (kernel + stride - 1) / stride;

    [ProviderTheory]
    [MemberData(nameof(Cases.ConvData), MemberType = typeof(Cases))]
    public void Im2Col_matches_the_oracle(ConvCase c)
    {
        var g = c.Geometry;
        using var h = Harness(c.Numbers);
        var x = h.Input(new TensorShape(g.Batch, g.Channels, g.Height, g.Width), h.Data.Uniform(g.InputLength));
        var col = h.Output(new TensorShape(g.ColumnRows, g.PatchSize)); // garbage: padding must be written as 0
        h.Run((p, t) => p.Im2Col(t(x), g, t(col)), $"Im2Col {g}");
        h.Check(col, Tolerance.Exact, $"Im2Col {g}");
    }

    [ProviderTheory]
    [MemberData(nameof(Cases.ConvData), MemberType = typeof(Cases))]
    public void Col2Im_matches_the_oracle(ConvCase c)
    {
        var g = c.Geometry;
        using var h = Harness([.. c.Numbers, 31]);
        var col = h.Input(new TensorShape(g.ColumnRows, g.PatchSize), h.Data.Uniform(g.ColumnLength));
        var dx = h.Output(new TensorShape(g.Batch, g.Channels, g.Height, g.Width)); // overwritten, not accumulated into
        h.Run((p, t) => p.Col2Im(t(col), g, t(dx)), $"Col2Im {g}");
        int terms = Overlap(g.KernelHeight, g.StrideHeight) * Overlap(g.KernelWidth, g.StrideWidth);
        h.Check(dx, Tolerance.Sum(terms, 1), $"Col2Im {g}");
    }
}
