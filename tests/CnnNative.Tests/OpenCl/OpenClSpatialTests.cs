using CnnNative.Core;
using CnnNative.Providers.OpenCl;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenCl;

/// <summary>im2col/col2im and pooling against host loops (the backward references scatter; the kernels gather).</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClSpatialTests(OpenClProviderFixture fixture)
{
    private OpenClProvider P => fixture.Provider;

    public static TheoryData<int, int, int, int, int, int, int, int, int, int> Convolutions => new()
    {
        // N, C, H, W, KH, KW, SH, SW, PH, PW
        { 1, 1, 5, 5, 5, 5, 1, 1, 0, 0 },
        { 2, 3, 7, 6, 3, 3, 1, 1, 1, 1 },
        { 2, 2, 9, 8, 3, 2, 2, 3, 1, 0 },
        { 1, 2, 6, 6, 2, 2, 3, 3, 0, 0 },    // stride larger than the window: gaps
        { 3, 1, 28, 28, 5, 5, 1, 1, 0, 0 },  // SimpleConvNet's first layer
        { 1, 4, 4, 5, 3, 3, 2, 2, 2, 2 },    // padding larger than half the window
    };

    [ProviderTheory("opencl")]
    [MemberData(nameof(Convolutions))]
    public void Im2col_and_col2im(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var g = new ConvGeometry(n, c, h, w, kh, kw, sh, sw, ph, pw);
        var x = HostData.Random(g.InputLength, 1);
        using var dx = HostData.Put(P, x);
        using var col = HostData.Garbage(P, g.ColumnLength);
        P.Im2Col(dx, g, col);
        HostData.Near(HostReference.Im2Col(x, g), HostData.Get(P, col), 0, what: "col");

        var dcol = HostData.Random(g.ColumnLength, 2);
        P.Upload(dcol, col);
        using var back = HostData.Garbage(P, g.InputLength);
        P.Col2Im(col, g, back);
        HostData.Near(HostReference.Col2Im(dcol, g), HostData.Get(P, back), 1e-5, 1e-6, what: "dx");
    }

    public static TheoryData<int, int, int, int, int, int, int, int, int, int> Pools => new()
    {
        // N, C, H, W, PKH, PKW, SH, SW, PH, PW
        { 2, 3, 6, 6, 2, 2, 2, 2, 0, 0 },
        { 1, 2, 7, 5, 3, 3, 2, 2, 1, 1 },
        { 1, 1, 5, 7, 3, 2, 1, 1, 0, 1 },    // overlapping windows
        { 2, 2, 8, 8, 2, 2, 3, 3, 0, 0 },    // stride larger than the window
        { 1, 2, 5, 5, 2, 2, 2, 2, 1, 1 },    // disjoint windows over padding
        { 1, 1, 7, 6, 3, 2, 3, 2, 2, 1 },    // disjoint, padded, windows of unequal sides
        { 1, 30, 24, 24, 2, 2, 2, 2, 0, 0 }, // SimpleConvNet's pooling
        { 1, 2, 9, 9, 4, 4, 2, 2, 1, 1 },    // a window too big for the unrolled kernels, overlapping
        { 1, 1, 10, 10, 5, 5, 5, 5, 0, 0 },  // a big disjoint window
        { 2, 1, 5, 6, 1, 1, 1, 1, 0, 0 },    // 1×1 windows
    };

    [ProviderTheory("opencl")]
    [MemberData(nameof(Pools))]
    public void Max_pooling_forward_and_backward(int n, int c, int h, int w, int pkh, int pkw, int sh, int sw, int ph, int pw)
    {
        var g = new PoolGeometry(n, c, h, w, pkh, pkw, sh, sw, ph, pw);
        // Small integers: plenty of ties, which must go to the first element in window order.
        var x = HostData.Random(g.InputLength, 3, -3f, 3f);
        for (int i = 0; i < x.Length; i++) x[i] = MathF.Round(x[i]);
        using var dx = HostData.Put(P, x);
        using var y = HostData.Garbage(P, g.OutputLength);
        using var arg = HostData.Garbage(P, g.OutputLength, 5);
        P.MaxPoolForward(dx, g, y, arg);
        var (ey, earg) = HostReference.MaxPool(x, g);
        HostData.Near(ey, HostData.Get(P, y), 0, what: "y");
        var argmax = HostData.Get(P, arg);
        HostData.Near(earg, argmax, 0, what: "argmax");

        var dy = HostData.Random(g.OutputLength, 4);
        using var ddy = HostData.Put(P, dy);
        using var back = HostData.Garbage(P, g.InputLength, 6);
        P.MaxPoolBackward(ddy, arg, g, back);
        HostData.Near(HostReference.MaxPoolBackward(dy, argmax, g), HostData.Get(P, back), 1e-6, what: "dx");
    }

    [ProviderFact("opencl")]
    public void Max_pooling_reads_padding_as_minus_infinity()
    {
        var g = PoolGeometry.Square(1, 1, 2, 2, pool: 2, stride: 1, pad: 1);
        using var x = HostData.Put(P, [-5f, -6f, -7f, -8f]);
        using var y = P.Allocate(new TensorShape(g.OutputLength));
        using var arg = P.Allocate(new TensorShape(g.OutputLength));
        P.MaxPoolForward(x, g, y, arg);
        // Every window holds real negatives and padding; a zero pad would win everywhere.
        Assert.Equal(new float[] { -5, -5, -6, -5, -5, -6, -7, -7, -8 }, HostData.Get(P, y));
        Assert.Equal(new float[] { 3, 2, 2, 1, 0, 0, 1, 0, 0 }, HostData.Get(P, arg));
    }

    [ProviderTheory("opencl")]
    [MemberData(nameof(Pools))]
    public void Average_pooling_forward_and_backward(int n, int c, int h, int w, int pkh, int pkw, int sh, int sw, int ph, int pw)
    {
        var g = new PoolGeometry(n, c, h, w, pkh, pkw, sh, sw, ph, pw);
        var x = HostData.Random(g.InputLength, 7);
        using var dx = HostData.Put(P, x);
        using var y = HostData.Garbage(P, g.OutputLength);
        P.AvgPoolForward(dx, g, y);
        HostData.Near(HostReference.AvgPool(x, g), HostData.Get(P, y), 1e-6, 1e-6, what: "y");

        var dy = HostData.Random(g.OutputLength, 8);
        using var ddy = HostData.Put(P, dy);
        using var back = HostData.Garbage(P, g.InputLength, 9);
        P.AvgPoolBackward(ddy, g, back);
        HostData.Near(HostReference.AvgPoolBackward(dy, g), HostData.Get(P, back), 1e-6, 1e-6, what: "dx");
    }
}
