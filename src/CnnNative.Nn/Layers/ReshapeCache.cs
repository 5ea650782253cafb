using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// Reshaped views of tensors the layer does not own (its input, the incoming gradient),
/// remembered by tensor identity so that passing the same tensor again — the usual case,
/// since every layer reuses its buffers — returns the same view without allocating.
/// A handful of slots covers alternating batch sizes; older entries are overwritten, so
/// callers that pass fresh tensors each time do not make the cache grow.
/// </summary>
internal sealed class ReshapeCache
{
    private const int Slots = 4;
    private readonly Tensor?[] _sources = new Tensor?[Slots];
    private readonly Tensor?[] _views = new Tensor?[Slots];
    private int _next;

    /// <summary>A view of <paramref name="x"/> as [batch, sample…].</summary>
    public Tensor Reshape(Tensor x, int batch, TensorShape sample)
    {
        var cached = Find(x);
        if (cached is not null) return cached;
        var dims = new int[sample.Rank + 1];
        dims[0] = batch;
        for (int d = 0; d < sample.Rank; d++) dims[d + 1] = sample[d];
        return Remember(x, x.View(new TensorShape(dims)));
    }

    /// <summary>A view of <paramref name="x"/> with the full shape <paramref name="shape"/>.</summary>
    public Tensor ReshapeTo(Tensor x, TensorShape shape) => Find(x) ?? Remember(x, x.View(shape));

    private Tensor? Find(Tensor x)
    {
        for (int i = 0; i < Slots; i++)
            if (ReferenceEquals(_sources[i], x)) return _views[i];
        return null;
    }

    private Tensor Remember(Tensor x, Tensor view)
    {
        _sources[_next] = x;
        _views[_next] = view;
        _next = (_next + 1) % Slots;
        return view;
    }
}
