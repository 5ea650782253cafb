namespace CnnNative.Core;

/// <summary>
/// Device tensors the composite defaults work in (an im2col matrix, a GEMM product, a vector
/// of ones), allocated on first use by the provider itself, grown when a larger call comes and
/// kept until the provider is disposed — so a steady training step allocates no device memory.
/// Each composite family uses its own slots, so one composite may call another.
/// </summary>
internal sealed class ScratchTensors(ComputeProvider owner) : IDisposable
{
    /// <summary>The im2col matrix of the convolution and pooling composites.</summary>
    public const int Columns = 0;

    /// <summary>A GEMM product or transposed gradient in the convolution and pooling composites.</summary>
    public const int Product = 1;

    /// <summary>The broadcast or partial sums of the bias composites.</summary>
    public const int Bias = 2;

    private readonly Tensor?[] _slots = new Tensor?[3];
    private Tensor? _ones;

    /// <summary>A tensor of exactly <paramref name="length"/> elements in <paramref name="slot"/>; its contents are undefined.</summary>
    public Tensor Get(int slot, int length)
    {
        Tensor? t = _slots[slot];
        if (t is null || t.Length < length)
        {
            t?.Dispose();
            t = _slots[slot] = owner.Allocate(new TensorShape(length));
        }
        return t.Length == length ? t : t.View(length);
    }

    /// <summary><paramref name="length"/> ones (a GEMM operand that sums or broadcasts).</summary>
    public Tensor Ones(int length)
    {
        if (_ones is null || _ones.Length < length)
        {
            _ones?.Dispose();
            _ones = owner.Allocate(new TensorShape(length));
            owner.Fill(_ones, 1f);
        }
        return _ones.Length == length ? _ones : _ones.View(length);
    }

    public void Dispose()
    {
        foreach (var t in _slots) t?.Dispose();
        Array.Clear(_slots);
        _ones?.Dispose();
        _ones = null;
    }
}
