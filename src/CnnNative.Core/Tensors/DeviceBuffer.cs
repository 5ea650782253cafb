namespace CnnNative.Core;

/// <summary>
/// Memory allocated by one provider (aligned host memory, a <c>cl_mem</c>, …). A buffer is
/// only ever handed back to the provider that made it; each provider subclasses this with
/// whatever handle it needs. Release never throws.
/// </summary>
public abstract class DeviceBuffer : IDisposable
{
    protected DeviceBuffer(IComputeProvider provider, int length)
    {
        Provider = provider;
        Length = length;
    }

    public IComputeProvider Provider { get; }

    /// <summary>Capacity in float elements.</summary>
    public int Length { get; }

    public bool IsDisposed { get; private set; }

    /// <summary>Frees the native memory. Called once; must not throw.</summary>
    protected abstract void Release();

    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Release();
        GC.SuppressFinalize(this);
    }
}
