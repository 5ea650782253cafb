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

    /// <summary>
    /// Wraps a buffer that the new tensor owns (disposing the tensor frees it). Providers call this
    /// from <see cref="IComputeProvider.Allocate"/>; users allocate through the provider instead.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is null.</exception>
    /// <exception cref="TensorShapeException">The shape is empty or needs more elements than the buffer holds.</exception>
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

    /// <summary>The logical shape, row-major (NCHW for image batches).</summary>
    public TensorShape Shape { get; }

    /// <summary>The provider memory behind this tensor, shared with its views; it may be longer than <see cref="Length"/>.</summary>
    public DeviceBuffer Buffer { get; }

    /// <summary>The provider that owns the memory; only its operations accept this tensor.</summary>
    public IComputeProvider Provider => Buffer.Provider;

    /// <summary>Number of elements (the product of the shape).</summary>
    public int Length => Shape.Length;

    /// <summary>True once the buffer has been freed (by this tensor or, for a view, by its parent).</summary>
    public bool IsDisposed => Buffer.IsDisposed;

    /// <summary>
    /// The same memory seen with another shape holding at most as many elements (a reshape,
    /// or a smaller batch in a buffer sized for the largest one). No data moves.
    /// </summary>
    public Tensor View(TensorShape shape) => new(Buffer, shape, ownsBuffer: false);

    /// <inheritdoc cref="View(TensorShape)"/>
    public Tensor View(params int[] dims) => View(new TensorShape(dims));

    /// <summary>Frees the buffer if this tensor owns it; disposing a view does nothing. Not thread-safe with operations still using the tensor.</summary>
    public void Dispose()
    {
        if (_ownsBuffer) Buffer.Dispose();
    }

    /// <summary>Shape and provider, e.g. "Tensor(32×10) on managed".</summary>
    public override string ToString() => $"Tensor{Shape} on {Provider.Name}";
}
