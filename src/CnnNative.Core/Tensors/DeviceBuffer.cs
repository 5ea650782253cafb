namespace CnnNative.Core;

/// <summary>
/// Memory allocated by one provider (aligned host memory, a <c>cl_mem</c>, …). A buffer is
/// only ever handed back to the provider that made it; each provider subclasses this with
/// whatever handle it needs. Release never throws.
/// </summary>
public abstract class DeviceBuffer : IDisposable
{
    /// <summary>Records the owner and capacity; the subclass allocates the memory itself.</summary>
    /// <param name="provider">The provider that allocated the memory and alone may use it.</param>
    /// <param name="length">Capacity in float elements.</param>
    protected DeviceBuffer(IComputeProvider provider, int length)
    {
        Provider = provider;
        Length = length;
    }

    /// <summary>The provider that allocated this buffer; every operation refuses buffers of another provider.</summary>
    public IComputeProvider Provider { get; }

    /// <summary>Capacity in float elements.</summary>
    public int Length { get; }

    /// <summary>True once <see cref="Dispose"/> ran; a provider operation on it then throws <see cref="ForeignTensorException"/>.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Frees the native memory. Called once; must not throw.</summary>
    protected abstract void Release();

    /// <summary>Frees the memory once (<see cref="Release"/>); later calls do nothing. Tensors over this buffer become unusable.</summary>
    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Release();
        GC.SuppressFinalize(this);
    }
}
