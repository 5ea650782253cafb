using System.Collections.Immutable;

namespace CnnNative.Core;

/// <summary>
/// An immutable row-major shape (NCHW for images). Dimensions are positive; the empty
/// shape is not allowed because every tensor in a network has at least one element.
/// </summary>
public readonly struct TensorShape : IEquatable<TensorShape>
{
    private readonly ImmutableArray<int> _dims;

    /// <summary>A shape from its dimensions, outermost first (e.g. N, C, H, W). The array is copied.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="dims"/> is null.</exception>
    /// <exception cref="TensorShapeException">No dimensions, a dimension ≤ 0, or more than <see cref="int.MaxValue"/> elements.</exception>
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

    /// <summary>Number of dimensions; 0 only for <c>default(TensorShape)</c>.</summary>
    public int Rank => _dims.IsDefault ? 0 : _dims.Length;

    /// <summary>The size of dimension <paramref name="axis"/> (0 = outermost).</summary>
    /// <exception cref="IndexOutOfRangeException"><paramref name="axis"/> is not in [0, <see cref="Rank"/>).</exception>
    public int this[int axis] => _dims[axis];

    /// <summary>All dimensions, outermost first (a default array for <c>default(TensorShape)</c>).</summary>
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

    /// <summary>Same rank and the same size on every axis.</summary>
    public bool Equals(TensorShape other) =>
        Rank == other.Rank && (Rank == 0 || _dims.AsSpan().SequenceEqual(other._dims.AsSpan()));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TensorShape s && Equals(s);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        if (!_dims.IsDefault) foreach (int d in _dims) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>Same rank and the same size on every axis.</summary>
    public static bool operator ==(TensorShape a, TensorShape b) => a.Equals(b);
    /// <summary>Differs in rank or in the size of some axis.</summary>
    public static bool operator !=(TensorShape a, TensorShape b) => !a.Equals(b);

    /// <summary>The dimensions joined by "×" in parentheses, e.g. "(32×1×28×28)".</summary>
    public override string ToString() => _dims.IsDefault ? "()" : $"({string.Join("×", _dims)})";
}
