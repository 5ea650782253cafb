using System.Runtime.InteropServices;

namespace CnnNative.Providers.Managed;

/// <summary>
/// A growable 64-byte-aligned native work area owned by one kernel slot (one per parallel
/// piece). It grows only when a call needs more than any call before, so warm calls allocate
/// nothing. Not thread-safe: each piece of parallel work uses its own slot.
/// </summary>
internal sealed unsafe class NativeScratch : IDisposable
{
    private void* _memory;
    private nuint _bytes;

    /// <summary>At least <paramref name="count"/> elements of <typeparamref name="T"/>; contents are undefined.</summary>
    public T* Get<T>(long count) where T : unmanaged
    {
        nuint needed = (nuint)Math.Max(count, 1) * (nuint)sizeof(T);
        if (needed > _bytes)
        {
            // Grow by half again so a slowly rising size does not reallocate every call.
            nuint size = Math.Max(needed, _bytes + _bytes / 2);
            if (_memory != null) HostMemory.Free(_memory);
            _memory = null;
            _bytes = 0;
            _memory = HostMemory.Allocate(size);
            _bytes = size;
        }
        return (T*)_memory;
    }

    public void Dispose()
    {
        if (_memory != null) HostMemory.Free(_memory);
        _memory = null;
        _bytes = 0;
    }
}
