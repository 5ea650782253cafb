namespace CnnNative.Core;

/// <summary>
/// A shape plus a buffer that lives on one provider. Tensors are created by
/// <see cref="IComputeProvider.Allocate"/>; their contents move to or from the host only
/// through explicit <see cref="IComputeProvider.Upload(ReadOnlySpan{float}, Tensor)"/> and
/// <see cref="IComputeProvider.Download(Tensor, Span{float})"/> calls.
/// A view (<see cref="View(TensorShape)"/>) shares the buffer of its parent and never frees it.
/// </summary>
public sealed class Tensor : IDisposable
{
    private readonly bool _ownsBuffer;

    public Tensor(DeviceBuffer buffer, TensorShape shape) : this(buffer, shape, ownsBuffer: true) { }

    private Tensor(DeviceBuffer buffer, TensorShape shape, bool ownsBuffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (shape.Rank == 0)
            throw new TensorShapeException("A tensor needs a non-empty shape.", nameof(shape));
        if (shape.Length > buffer.Length)
            throw new TensorShapeException(
                $"Shape {shape} needs {shape.Length} elements but the buffer holds {buffer.Length}.", nameof(shape));
        Buffer = buffer;
        Shape = shape;
        _ownsBuffer = ownsBuffer;
    }

    public TensorShape Shape { get; }

    public DeviceBuffer Buffer { get; }

    public IComputeProvider Provider => Buffer.Provider;

    /// <summary>Number of elements (the product of the shape).</summary>
    public int Length => Shape.Length;

    public bool IsDisposed => Buffer.IsDisposed;

    /// <summary>
    /// The same memory seen with another shape holding at most as many elements (a reshape,
    /// or a smaller batch in a buffer sized for the largest one). No data moves.
    /// </summary>
    public Tensor View(TensorShape shape) => new(Buffer, shape, ownsBuffer: false);

    /// <inheritdoc cref="View(TensorShape)"/>
    public Tensor View(params int[] dims) => View(new TensorShape(dims));

    public void Dispose()
    {
        if (_ownsBuffer) Buffer.Dispose();
    }

    public override string ToString() => $"Tensor{Shape} on {Provider.Name}";
}
