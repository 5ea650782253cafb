using CnnNative.Core;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Core;

/// <summary>The validating base class and the geometry records, checked once on the reference provider.</summary>
public sealed class ContractValidationTests
{
    [Fact]
    public void Geometry_output_size_includes_padding()
    {
        var g = PoolGeometry.Square(1, 1, 5, 5, pool: 2, stride: 2, pad: 1);
        Assert.Equal(3, g.OutputHeight); // (5 + 2 − 2) / 2 + 1
        var c = ConvGeometry.Square(2, 3, 28, 28, kernel: 5, stride: 1, pad: 0);
        Assert.Equal(24, c.OutputWidth);
        Assert.Equal(2 * 24 * 24, c.ColumnRows);
        Assert.Equal(75, c.PatchSize);
    }

    [Fact]
    public void Geometry_that_does_not_fit_is_rejected()
    {
        var e = Assert.Throws<InvalidGeometryException>(() => ConvGeometry.Square(1, 1, 3, 3, kernel: 5));
        Assert.Contains("does not fit", e.Message);
        Assert.Throws<InvalidGeometryException>(() => PoolGeometry.Square(1, 1, 4, 4, pool: 2, stride: 2, pad: 2));
        Assert.Throws<InvalidGeometryException>(() => new BatchNormGeometry(0, 1, 1));
    }

    [Fact]
    public void Foreign_and_disposed_tensors_are_rejected()
    {
        using var p1 = new ReferenceProvider();
        using var p2 = new ReferenceProvider();
        using var a = p1.Allocate(new TensorShape(4));
        using var b = p2.Allocate(new TensorShape(4));
        Assert.Throws<ForeignTensorException>(() => p1.Add(a, b, a));
        var c = p1.Allocate(new TensorShape(4));
        c.Dispose();
        Assert.Throws<ForeignTensorException>(() => p1.Fill(c, 1));
    }

    [Fact]
    public void Short_and_overlapping_buffers_are_rejected()
    {
        using var p = new ReferenceProvider();
        using var a = p.Allocate(new TensorShape(2, 3));
        using var b = p.Allocate(new TensorShape(3, 2));
        using var small = p.Allocate(new TensorShape(3));
        var e = Assert.Throws<TensorShapeException>(() => p.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, 2, 2, 3, 1, a, b, 0, small));
        Assert.Equal("c", e.ParamName);
        Assert.Throws<TensorOverlapException>(() => p.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, 2, 2, 3, 1, a, b, 0, a.View(4)));
    }

    [Fact]
    public void Views_share_the_buffer_and_do_not_free_it()
    {
        using var p = new ReferenceProvider();
        using var t = p.Allocate(new TensorShape(2, 3));
        p.Upload([1f, 2, 3, 4, 5, 6], t);
        var v = t.View(6);
        v.Dispose();
        var back = new float[6];
        p.Download(t, back);
        Assert.Equal([1f, 2, 3, 4, 5, 6], back);
        Assert.Throws<TensorShapeException>(() => t.View(7));
    }

    [Fact]
    public void Counter_rng_is_a_pure_function_of_seed_stream_and_index()
    {
        ulong key = CounterRng.StreamKey(42, 7);
        Assert.Equal(CounterRng.Uniform(key, 3), CounterRng.Uniform(CounterRng.StreamKey(42, 7), 3));
        Assert.NotEqual(CounterRng.Uniform(key, 3), CounterRng.Uniform(key, 4));
        double mean = 0;
        for (ulong i = 0; i < 10000; i++) mean += CounterRng.Uniform(key, i);
        Assert.InRange(mean / 10000, 0.48, 0.52);
    }
}
