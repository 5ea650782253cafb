using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// A layer-owned tensor whose leading dimension follows the batch size: shape
/// <c>[N·rowsPerSample, trailing…]</c>. Memory is allocated once for the largest batch seen;
/// a smaller batch (the last one of an epoch) gets a <see cref="Tensor.View(TensorShape)"/> of
/// it, and each view is cached by batch size, so a training step in steady state allocates
/// nothing — not even the view objects.
/// </summary>
public sealed class BatchTensor : IDisposable
{
    private readonly IComputeProvider _provider;
    private readonly int _rowsPerSample;
    private readonly int[] _trailing;
    private readonly Dictionary<int, Tensor> _views = new();
    private Tensor? _storage;
    private int _capacity;
    private int _lastBatch;
    private Tensor? _last;

    /// <summary>A tensor of shape [N·<paramref name="rowsPerSample"/>, <paramref name="trailing"/>…], allocated on first use.</summary>
    /// <param name="rowsPerSample">Rows the leading dimension holds per sample (1 for [N, …]; OH·OW for an im2col matrix).</param>
    /// <param name="trailing">The dimensions after the leading one.</param>
    /// <param name="provider">The provider that allocates the storage.</param>
    public BatchTensor(IComputeProvider provider, int rowsPerSample, params int[] trailing)
    {
        _provider = provider;
        _rowsPerSample = rowsPerSample;
        _trailing = trailing;
    }

    /// <summary>Per-sample shape <paramref name="sample"/> with the batch in front: [N, sample…].</summary>
    public static BatchTensor PerSample(IComputeProvider provider, TensorShape sample) =>
        new(provider, 1, sample.Dimensions.ToArray());

    /// <summary>The tensor for <paramref name="batch"/> samples (allocating only the first time a larger batch appears).</summary>
    public Tensor For(int batch)
    {
        if (batch == _lastBatch && _last is not null) return _last;
        if (!_views.TryGetValue(batch, out var tensor)) tensor = Create(batch);
        _lastBatch = batch;
        _last = tensor;
        return tensor;
    }

    private Tensor Create(int batch)
    {
        var shape = ShapeFor(batch);
        Tensor tensor;
        if (batch > _capacity)
        {
            // Views of the old storage die with it; forget them all.
            _storage?.Dispose();
            _views.Clear();
            _storage = _provider.Allocate(shape);
            _capacity = batch;
            tensor = _storage;
        }
        else
        {
            tensor = _storage!.View(shape);
        }
        _views[batch] = tensor;
        return tensor;
    }

    private TensorShape ShapeFor(int batch)
    {
        var dims = new int[_trailing.Length + 1];
        dims[0] = checked(batch * _rowsPerSample);
        _trailing.CopyTo(dims, 1);
        return new TensorShape(dims);
    }

    /// <summary>Frees the storage (views die with it).</summary>
    public void Dispose()
    {
        _storage?.Dispose();
        _storage = null;
        _views.Clear();
        _last = null;
        _capacity = 0;
    }
}
