using CnnNative.Core;
using CnnNative.Providers.OpenCl;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenCl;

/// <summary>Elementwise ops, activations, bias and batched transpose against host loops.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClElementwiseTests(OpenClProviderFixture fixture, OpenClStagedGemmFixture gpuStyle) : IClassFixture<OpenClStagedGemmFixture>
{
    private OpenClProvider P => fixture.Provider;

    // Lengths below, at and past the work-group size, so the rounded-up launch is exercised.
    public static TheoryData<int> Lengths => new() { 1, 255, 1024, 4099 };

    [ProviderTheory("opencl")]
    [MemberData(nameof(Lengths))]
    public void Binary_ops_out_of_place_and_in_place(int n)
    {
        var a = HostData.Random(n, 1);
        var b = HostData.Random(n, 2);
        using var da = HostData.Put(P, a);
        using var db = HostData.Put(P, b);
        using var dc = HostData.Garbage(P, n);

        P.Add(da, db, dc);
        HostData.Near(Map(i => (double)a[i] + b[i], n), HostData.Get(P, dc), 1e-6, what: "add");
        P.Multiply(da, db, dc);
        HostData.Near(Map(i => (double)a[i] * b[i], n), HostData.Get(P, dc), 1e-6, what: "multiply");
        P.Scale(da, -2.5f, dc);
        HostData.Near(Map(i => -2.5 * a[i], n), HostData.Get(P, dc), 1e-6, what: "scale");

        P.Add(da, db, da);   // the output may be an input
        HostData.Near(Map(i => (double)a[i] + b[i], n), HostData.Get(P, da), 1e-6, what: "add in place");
        P.Upload(a, da);
        P.Axpy(0.75f, db, da);
        HostData.Near(Map(i => a[i] + 0.75 * b[i], n), HostData.Get(P, da), 1e-6, what: "axpy");
        P.Axpy(2f, da, da);
        HostData.Near(Map(i => 3 * (a[i] + 0.75 * b[i]), n), HostData.Get(P, da), 1e-5, what: "axpy aliased");
    }

    [ProviderTheory("opencl")]
    [MemberData(nameof(Lengths))]
    public void Relu_and_sigmoid_forward_and_backward(int n)
    {
        var x = HostData.Random(n, 3);
        if (n > 3) { x[0] = 0f; x[1] = -0f; x[2] = 1e-30f; }
        var dy = HostData.Random(n, 4);
        using var dx_ = HostData.Put(P, x);
        using var ddy = HostData.Put(P, dy);
        using var y = HostData.Garbage(P, n);
        using var dx = HostData.Garbage(P, n, 7);

        P.ReluForward(dx_, y);
        var yr = HostData.Get(P, y);
        HostData.Near(Map(i => x[i] > 0 ? x[i] : 0, n), yr, 0, what: "relu");
        P.ReluBackward(ddy, y, dx);
        HostData.Near(Map(i => yr[i] > 0 ? dy[i] : 0, n), HostData.Get(P, dx), 0, what: "relu backward");

        P.SigmoidForward(dx_, y);
        var ys = HostData.Get(P, y);
        HostData.Near(Map(i => 1 / (1 + Math.Exp(-x[i])), n), ys, 1e-6, 1e-6, what: "sigmoid");
        P.SigmoidBackward(ddy, y, dx);
        HostData.Near(Map(i => dy[i] * (1.0 - ys[i]) * ys[i], n), HostData.Get(P, dx), 1e-6, 1e-6, what: "sigmoid backward");

        P.ReluForward(dx_, dx_);   // in place
        HostData.Near(Map(i => x[i] > 0 ? x[i] : 0, n), HostData.Get(P, dx_), 0, what: "relu in place");
    }

    [ProviderTheory("opencl")]
    [InlineData(1, 1)]
    [InlineData(7, 10)]
    [InlineData(100, 33)]
    [InlineData(5000, 30)]   // the conv layout [N·OH·OW, F]
    [InlineData(3, 1000)]
    public void Row_bias_and_its_gradient(int rows, int cols)
    {
        var x = HostData.Random(rows * cols, 5);
        var bias = HostData.Random(cols, 6);
        using var dx = HostData.Put(P, x, rows, cols);
        using var db = HostData.Put(P, bias);
        P.AddRowBias(dx, db);
        HostData.Near(Map(i => (double)x[i] + bias[i % cols], rows * cols), HostData.Get(P, dx), 1e-6, what: "x + bias");

        using var sum = HostData.Garbage(P, cols);
        P.Upload(x, dx);
        P.SumRows(dx, sum);
        HostData.Near(Map(j => Sum(rows, r => x[r * cols + j]), cols), HostData.Get(P, sum), 1e-5 * rows, 1e-5, what: "Σ rows");
    }

    [ProviderTheory("opencl")]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 5)]
    [InlineData(10, 30, 24 * 24)]
    [InlineData(100, 16, 1)]
    public void Channel_bias_and_its_gradient(int batch, int channels, int spatial)
    {
        int n = batch * channels * spatial;
        var x = HostData.Random(n, 7);
        var bias = HostData.Random(channels, 8);
        using var dx = HostData.Put(P, x, batch, channels, spatial);
        using var db = HostData.Put(P, bias);
        P.AddChannelBias(dx, db);
        HostData.Near(Map(i => (double)x[i] + bias[i / spatial % channels], n), HostData.Get(P, dx), 1e-6, what: "x + bias");

        using var sum = HostData.Garbage(P, channels);
        P.Upload(x, dx);
        P.SumChannels(dx, sum);
        var expected = Map(c => Sum(batch, b => Sum(spatial, s => x[(b * channels + c) * spatial + s])), channels);
        HostData.Near(expected, HostData.Get(P, sum), 1e-5 * batch * spatial, 1e-5, what: "Σ channel");
    }

    [ProviderTheory("opencl")]
    [InlineData(1, 1, 1)]
    [InlineData(3, 17, 33)]
    [InlineData(2, 64, 16)]
    [InlineData(5, 1, 40)]
    [InlineData(4, 576, 30)]   // [N, OH·OW, F] → [N, F, OH·OW]
    public void Batched_transpose(int batch, int rows, int cols)
    {
        Transposes(P, batch, rows, cols);
        Transposes(gpuStyle.BothStaged, batch, rows, cols);   // the tiled local-memory form
    }

    private static void Transposes(OpenClProvider P, int batch, int rows, int cols)
    {
        var src = HostData.Random(batch * rows * cols, 9);
        using var ds = HostData.Put(P, src);
        using var dd = HostData.Garbage(P, batch * rows * cols + 5);
        var before = HostData.Get(P, dd);
        P.BatchedTranspose(ds, batch, rows, cols, dd);
        var got = HostData.Get(P, dd);
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    Assert.Equal(src[(b * rows + i) * cols + j], got[(b * cols + j) * rows + i]);
        Assert.Equal(before[^5..], got[^5..]);
    }

    private static double[] Map(Func<int, double> f, int n)
    {
        var r = new double[n];
        for (int i = 0; i < n; i++) r[i] = f(i);
        return r;
    }

    private static double Sum(int n, Func<int, double> f)
    {
        double s = 0;
        for (int i = 0; i < n; i++) s += f(i);
        return s;
    }
}
