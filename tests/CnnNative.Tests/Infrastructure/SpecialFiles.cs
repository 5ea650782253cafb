using System.Runtime.InteropServices;

namespace CnnNative.Tests.Infrastructure;

/// <summary>Files that are not regular files, for the tests that inputs refuse them before open().</summary>
internal static partial class SpecialFiles
{
    /// <summary>Creates a named pipe (FIFO) at <paramref name="path"/>; Linux only (the statx check runs there).</summary>
    public static void MakeFifo(string path)
    {
        if (Mkfifo(path, 0x180 /* 0600 */) != 0)
            throw new IOException($"mkfifo '{path}' failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mkfifo(string path, uint mode);
}
