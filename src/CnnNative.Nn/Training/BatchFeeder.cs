using CnnNative.Core;
using CnnNative.Data;

namespace CnnNative.Nn.Training;

/// <summary>
/// Moves mini-batches from a <see cref="Batcher"/> onto the provider: one host buffer pair
/// filled by the batcher, one <see cref="IComputeProvider.Upload(ReadOnlySpan{float}, Tensor)"/>
/// of the images and one of the labels per batch, into device tensors sized for a full
/// batch. A smaller (last) batch is a view of the same memory, cached by size, so feeding a
/// batch allocates nothing after the first epoch.
/// </summary>
internal sealed class BatchFeeder : IDisposable
{
    private readonly IComputeProvider _provider;
    private readonly TensorShape _sample;
    private readonly float[] _hostImages;
    private readonly float[] _hostLabels;
    private readonly Tensor _images;
    private readonly Tensor _labels;
    private readonly Dictionary<int, (Tensor Images, Tensor Labels)> _views = new();

    public BatchFeeder(IComputeProvider provider, TensorShape sample, int batchSize)
    {
        _provider = provider;
        _sample = sample;
        BatchSize = batchSize;
        _hostImages = new float[checked(batchSize * sample.Length)];
        _hostLabels = new float[batchSize];
        _images = provider.Allocate(ShapeFor(batchSize));
        try
        {
            _labels = provider.Allocate(new TensorShape(batchSize));
        }
        catch
        {
            _images.Dispose();
            throw;
        }
        _views[batchSize] = (_images, _labels);
    }

    public int BatchSize { get; }

    /// <summary>Images [n, sample…] of the last batch fed.</summary>
    public Tensor Images { get; private set; } = null!;

    /// <summary>Labels [n] of the last batch fed.</summary>
    public Tensor Labels { get; private set; } = null!;

    /// <summary>The labels of the last batch on the host (as the batcher wrote them).</summary>
    public ReadOnlySpan<float> HostLabels(int count) => _hostLabels.AsSpan(0, count);

    /// <summary>Takes the next batch of <paramref name="batcher"/> and uploads it; false when its epoch is finished.</summary>
    public bool TryFeed(Batcher batcher, out int count)
    {
        if (!batcher.TryNext(_hostImages, _hostLabels, out count)) return false;
        _provider.Upload(_hostImages.AsSpan(0, count * _sample.Length), _images);
        _provider.Upload(_hostLabels.AsSpan(0, count), _labels);
        if (!_views.TryGetValue(count, out var views))
        {
            views = (_images.View(ShapeFor(count)), _labels.View(new TensorShape(count)));
            _views[count] = views;
        }
        Images = views.Images;
        Labels = views.Labels;
        return true;
    }

    private TensorShape ShapeFor(int batch)
    {
        var dims = new int[_sample.Rank + 1];
        dims[0] = batch;
        for (int d = 0; d < _sample.Rank; d++) dims[d + 1] = _sample[d];
        return new TensorShape(dims);
    }

    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
        _views.Clear();
    }
}
