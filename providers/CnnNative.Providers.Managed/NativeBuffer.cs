using System.Runtime.InteropServices;
using CnnNative.Core;

namespace CnnNative.Providers.Managed;

/// <summary>
/// Host memory for the CPU providers: 64-byte aligned (one cache line, one Vector512) and
/// zero-filled, so every tensor starts on a vector boundary and a fresh tensor reads as zeros.
/// <see cref="Pointer"/> is public so that a provider in another assembly that derives from
/// <see cref="ManagedProvider"/> (OpenBLAS) can hand the memory to native code.
/// The owning provider frees whatever is still alive when it is disposed, so a forgotten
/// tensor leaks only until its provider goes; there is deliberately no finalizer, which
/// could free memory under a kernel that still runs on a pointer taken from it.
/// </summary>
internal sealed unsafe class NativeBuffer : DeviceBuffer
{
    /// <summary>Alignment of every buffer in bytes.</summary>
    public const int Alignment = 64;

    private readonly ManagedProvider _owner;
    private float* _pointer;

    internal NativeBuffer(ManagedProvider owner, int length) : base(owner, length)
    {
        _owner = owner;
        nuint bytes = (nuint)length * sizeof(float);
        _pointer = (float*)HostMemory.Allocate(bytes);
        NativeMemory.Clear(_pointer, bytes);
    }

    /// <summary>The first element. Valid until the buffer or its provider is disposed.</summary>
    public float* Pointer => _pointer;

    /// <summary>The whole buffer as a span (capacity, not a tensor's shape length).</summary>
    public Span<float> Span => new(_pointer, Length);

    /// <summary>Frees the memory; idempotent and never throws (also called by the provider on dispose).</summary>
    internal void Free()
    {
        float* p = _pointer;
        _pointer = null;
        if (p != null) HostMemory.Free(p);
    }

    protected override void Release()
    {
        _owner.Forget(this);
        Free();
    }
}
