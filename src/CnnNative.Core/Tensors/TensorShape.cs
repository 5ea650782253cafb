using System.Collections.Immutable;

namespace CnnNative.Core;

/// <summary>
/// An immutable row-major shape (NCHW for images). Dimensions are positive; the empty
/// shape is not allowed because every tensor in a network has at least one element.
/// </summary>
public readonly struct TensorShape : IEquatable<TensorShape>
{
    private readonly ImmutableArray<int> _dims;

    public TensorShape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length == 0)
            throw new TensorShapeException("A tensor shape needs at least one dimension.", nameof(dims));
        long length = 1;
        foreach (int d in dims)
        {
            if (d <= 0)
                throw new TensorShapeException(
                    $"Every dimension must be positive, got ({string.Join(", ", dims)}).", nameof(dims));
            length *= d;
            if (length > int.MaxValue)
                throw new TensorShapeException(
                    $"Shape ({string.Join(", ", dims)}) has more than {int.MaxValue} elements.", nameof(dims));
        }
        _dims = [.. dims];
        Length = (int)length;
    }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    public int Rank => _dims.IsDefault ? 0 : _dims.Length;

    public int this[int axis] => _dims[axis];

    public ImmutableArray<int> Dimensions => _dims;

    /// <summary>Product of the dimensions from <paramref name="axis"/> on (the row length when flattening).</summary>
    public int SizeFrom(int axis)
    {
        int size = 1;
        for (int i = axis; i < Rank; i++) size *= _dims[i];
        return size;
    }

    /// <summary>The same shape with the leading (batch) dimension replaced.</summary>
    public TensorShape WithBatch(int batch)
    {
        var dims = _dims.ToArray();
        dims[0] = batch;
        return new TensorShape(dims);
    }

    public bool Equals(TensorShape other) =>
        Rank == other.Rank && (Rank == 0 || _dims.AsSpan().SequenceEqual(other._dims.AsSpan()));

    public override bool Equals(object? obj) => obj is TensorShape s && Equals(s);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        if (!_dims.IsDefault) foreach (int d in _dims) hash.Add(d);
        return hash.ToHashCode();
    }

    public static bool operator ==(TensorShape a, TensorShape b) => a.Equals(b);
    public static bool operator !=(TensorShape a, TensorShape b) => !a.Equals(b);

    public override string ToString() => _dims.IsDefault ? "()" : $"({string.Join("×", _dims)})";
}
