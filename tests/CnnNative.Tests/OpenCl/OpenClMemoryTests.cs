using CnnNative.Core;
using CnnNative.Providers.OpenCl;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenCl;

/// <summary>Buffers, transfers and their counters, and that nothing leaks.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClMemoryTests(OpenClProviderFixture fixture)
{
    private OpenClProvider P => fixture.Provider;

    [ProviderFact("opencl")]
    public void Allocate_returns_zeros_even_where_garbage_was_freed()
    {
        for (int round = 0; round < 3; round++)
        {
            using var junk = HostData.Garbage(P, 4099);
        }
        using var t = P.Allocate(new TensorShape(4099));
        Assert.All(HostData.Get(P, t), v => Assert.Equal(0f, v));
    }

    [ProviderFact("opencl")]
    public void Upload_then_download_round_trips_and_a_short_upload_leaves_the_rest()
    {
        var data = HostData.Random(1000, 1);
        using var t = HostData.Put(P, data);
        Assert.Equal(data, HostData.Get(P, t));

        P.Upload(new float[] { 7, 8, 9 }, t);
        var back = HostData.Get(P, t);
        Assert.Equal(new float[] { 7, 8, 9 }, back[..3]);
        Assert.Equal(data[3..], back[3..]);

        var head = new float[5];
        P.Download(t, head);
        Assert.Equal(back[..5], head);
    }

    [ProviderFact("opencl")]
    public void Double_precision_transfers_round_to_float()
    {
        using var t = P.Allocate(new TensorShape(3));
        P.Upload(new double[] { 0.1, -2.5, 1e-3 }, t);
        var d = new double[3];
        P.Download(t, d);
        Assert.Equal(new double[] { 0.1f, -2.5f, 1e-3f }, d);
    }

    [ProviderFact("opencl")]
    public void Copy_and_fill()
    {
        var data = HostData.Random(777, 2);
        using var src = HostData.Put(P, data);
        using var dst = HostData.Garbage(P, 1000);
        var before = HostData.Get(P, dst);
        P.Copy(src, dst);
        var after = HostData.Get(P, dst);
        Assert.Equal(data, after[..777]);
        Assert.Equal(before[777..], after[777..]);

        P.Fill(dst, -3.25f);
        Assert.All(HostData.Get(P, dst), v => Assert.Equal(-3.25f, v));
    }

    [ProviderFact("opencl")]
    public void Transfers_are_counted_and_device_work_is_not()
    {
        using var a = P.Allocate(new TensorShape(8, 8));
        using var b = P.Allocate(new TensorShape(8, 8));
        var start = P.Transfers;

        P.Upload(new float[64], a);
        P.Upload(new float[10], b);
        P.Gemm(Transpose.NoTranspose, Transpose.Transpose, 8, 8, 8, 1f, a, a, 0f, b);
        P.ReluForward(b, b);
        P.Copy(a, b);
        P.Fill(a, 1f);
        P.Synchronize();
        P.Download(b, new float[5]);

        var moved = P.Transfers - start;
        Assert.Equal(new TransferStatistics(Uploads: 2, UploadedBytes: 74 * 4, Downloads: 1, DownloadedBytes: 20), moved);
    }

    [ProviderFact("opencl")]
    public void Live_buffers_return_to_zero_after_dispose()
    {
        using var p = new OpenClProviderFactory().Create(new OpenClOptions());
        var tensors = new List<Tensor>();
        for (int i = 0; i < 10; i++) tensors.Add(p.Allocate(new TensorShape(100 + i)));
        Assert.Equal(10, p.LiveBuffers);

        var view = tensors[0].View(10, 10);      // a view shares its parent's buffer
        Assert.Equal(10, p.LiveBuffers);
        view.Dispose();                           // and never frees it
        Assert.Equal(10, p.LiveBuffers);

        // Work that uses internal scratch (packed B, split-K slices) does not count as tensors.
        using (var a = p.Allocate(new TensorShape(30 * 600)))
        using (var b = p.Allocate(new TensorShape(600 * 25)))
        using (var c = p.Allocate(new TensorShape(30 * 25)))
        {
            p.Gemm(Transpose.NoTranspose, Transpose.Transpose, 30, 25, 600, 1f, a, b, 0f, c);
            p.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, 30, 25, 600, 1f, a, b, 0f, c);
            p.Synchronize();
            Assert.Equal(13, p.LiveBuffers);
        }
        foreach (var t in tensors) t.Dispose();
        tensors[3].Dispose();                     // twice is harmless
        Assert.Equal(0, p.LiveBuffers);
    }

    [ProviderFact("opencl")]
    public void Tensors_of_another_provider_are_rejected()
    {
        using var other = new OpenClProviderFactory().Create(new OpenClOptions());
        using var foreign = other.Allocate(new TensorShape(4));
        using var mine = P.Allocate(new TensorShape(4));
        var e = Assert.Throws<ForeignTensorException>(() => P.Add(mine, foreign, mine));
        Assert.Contains("'opencl'", e.Message);
    }

    [ProviderFact("opencl")]
    public void A_disposed_provider_refuses_work()
    {
        var p = new OpenClProviderFactory().Create(new OpenClOptions());
        var t = p.Allocate(new TensorShape(4));
        p.Dispose();
        Assert.Throws<ObjectDisposedException>(() => p.Fill(t, 1f));
        t.Dispose();   // a buffer outliving its provider still releases cleanly
        Assert.Equal(0, p.LiveBuffers);
    }
}
