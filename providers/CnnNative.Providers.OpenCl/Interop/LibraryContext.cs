using System.Runtime.InteropServices;
using Silk.NET.Core.Contexts;

namespace CnnNative.Providers.OpenCl.Interop;

/// <summary>
/// Hands Silk.NET the entry points of the library our own search accepted (see
/// <see cref="OpenClLibrary"/>), instead of Silk's loader, which would search by itself and
/// explain nothing. The library stays loaded for the life of the process: SafeHandle
/// finalizers release OpenCL objects through it as the process exits, so
/// <see cref="Dispose"/> frees nothing.
/// </summary>
internal sealed class LibraryContext(nint library, string file) : INativeContext
{
    public nint GetProcAddress(string proc, int? slot = null) =>
        NativeLibrary.TryGetExport(library, proc, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"The OpenCL library {file} has no function {proc}.");

    public bool TryGetProcAddress(string proc, out nint addr, int? slot = null) =>
        NativeLibrary.TryGetExport(library, proc, out addr);

    public void Dispose()
    {
        // Deliberately empty: see the class comment.
    }
}
