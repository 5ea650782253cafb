namespace CnnNative.Core;

// The argument checks shared by every public operation. Messages name the argument and say
// what was expected, because they surface to users as "wrong shapes" errors.
public abstract partial class ComputeProvider
{
    /// <summary>Throws <see cref="ObjectDisposedException"/> once the provider is disposed; every public operation calls it first.</summary>
    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    /// <summary>
    /// What every provider throws when labels[row] is not a class index in [0, classes): a host
    /// provider at the call, a device provider at the latest with the next download or
    /// synchronisation (it records the error on the device rather than wait for every batch).
    /// </summary>
    public static ArgumentOutOfRangeException LabelOutOfRange(int row, float value, int classes) =>
        new("labels", value, $"labels[{row}] = {value} is not a class index in [0, {classes}); labels must hold class numbers as floats.");

    /// <summary>The tensor exists, is alive and was allocated by this provider.</summary>
    protected void Own(Tensor tensor, string name)
    {
        ThrowIfDisposed();
        if (tensor is null) throw new ArgumentNullException(name);
        if (!ReferenceEquals(tensor.Provider, this))
            throw new ForeignTensorException(
                $"{name} was allocated by provider '{tensor.Provider.Name}', not by '{Name}'. Move data between providers explicitly with Download and Upload.",
                name);
        if (tensor.IsDisposed)
            throw new ForeignTensorException($"{name} has been disposed.", name);
    }

    /// <summary>The tensor holds at least <paramref name="needed"/> elements (messages are built only on failure: no allocation on the hot path).</summary>
    protected static void NeedLength(Tensor tensor, long needed, string name)
    {
        if (tensor.Length < needed)
            throw new TensorShapeException(
                $"{name} {tensor.Shape} holds {tensor.Length} elements but the operation needs {needed}.", name);
    }

    /// <summary>Throws <see cref="TensorShapeException"/> naming <paramref name="name"/> unless both tensors hold exactly as many elements.</summary>
    protected static void SameLength(Tensor tensor, Tensor reference, string name, string referenceName)
    {
        if (tensor.Length != reference.Length)
            throw new TensorShapeException(
                $"{name} {tensor.Shape} has {tensor.Length} elements but {referenceName} {reference.Shape} has {reference.Length}; they must match.",
                name);
    }

    /// <summary>Two arguments that the operation reads and writes at different positions must not share memory.</summary>
    protected static void Distinct(Tensor a, Tensor b, string nameA, string nameB)
    {
        if (ReferenceEquals(a.Buffer, b.Buffer))
            throw new TensorOverlapException($"{nameA} and {nameB} share memory; this operation needs them distinct.", nameB);
    }

    /// <summary>
    /// A geometry made by its constructor (which checks it), not <c>default(…)</c>, whose zero
    /// sizes would make every kernel a silent no-op.
    /// </summary>
    protected static void Constructed(bool constructed, string name)
    {
        if (!constructed)
            throw new InvalidGeometryException(
                $"{name} is uninitialised (default); create it with its constructor so its sizes are checked.", name);
    }

    /// <summary>Throws <see cref="TensorShapeException"/> naming <paramref name="name"/> unless the size is at least 1.</summary>
    protected static void Positive(int value, string name)
    {
        if (value <= 0) throw new TensorShapeException($"{name} must be positive, got {value}.", name);
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> for NaN or ±∞ (a hyper-parameter that would poison every value).</summary>
    protected static void Finite(float value, string name)
    {
        if (!float.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number.");
    }

    /// <summary>A rank-2 [N, K] tensor; returns (N, K).</summary>
    protected static (int Rows, int Cols) Matrix(Tensor t, string name)
    {
        if (t.Shape.Rank != 2)
            throw new TensorShapeException($"{name} must be a [N, K] matrix, got shape {t.Shape}.", name);
        return (t.Shape[0], t.Shape[1]);
    }

    /// <summary>[N, C, …] with C = channels; returns N and the spatial size.</summary>
    protected static (int Batch, int Spatial) Channelled(Tensor t, int channels, string name)
    {
        if (t.Shape.Rank < 2 || t.Shape[1] != channels)
            throw new TensorShapeException(
                $"{name} must have shape [N, {channels}, …] to match a {channels}-channel bias, got {t.Shape}.", name);
        return (t.Shape[0], t.Shape.SizeFrom(2));
    }
}
