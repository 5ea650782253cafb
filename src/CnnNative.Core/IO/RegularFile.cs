using System.Runtime.InteropServices;

namespace CnnNative.Core;

/// <summary>
/// Opens input files only when they are regular files. A named pipe (FIFO) blocks forever in
/// <c>open()</c> until a writer appears (and ignores SIGTERM while it waits); a device such as
/// <c>/dev/zero</c> never ends; a folder fails with a misleading "access denied". So every
/// reader of user-named files (IDX data, checkpoints, configuration, model files, images)
/// checks the file type with <c>stat</c> <em>before</em> <c>open()</c>, through this one helper.
/// </summary>
/// <remarks>
/// The type is read with <c>statx(2)</c> on Linux (its layout is the same on every
/// architecture). Elsewhere .NET exposes no file type beyond "folder", so only folders are
/// refused there; Windows has no FIFOs in the file system. A file replaced between the check
/// and the open is not caught: that needs a hostile process on the same machine, not a typo.
/// </remarks>
internal static partial class RegularFile
{
    /// <summary>
    /// Checks that <paramref name="path"/> names an existing regular file (symbolic links are
    /// followed) and returns its length in bytes. Throws <see cref="FileNotFoundException"/> when
    /// nothing is there and <see cref="NotARegularFileException"/> for a folder, FIFO, device or socket.
    /// </summary>
    public static long Check(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (OperatingSystem.IsLinux() && LinuxStat.TryGetType(full, out FileKind kind, out long length, out bool missing))
        {
            if (missing) throw Missing(full);
            if (kind != FileKind.Regular) throw new NotARegularFileException(full, kind);
            return length;
        }
        if (Directory.Exists(full)) throw new NotARegularFileException(full, FileKind.Folder);
        var info = new FileInfo(full);
        if (!info.Exists) throw Missing(full);
        return info.Length;
    }

    /// <summary>
    /// <see cref="Check"/>, then opens the file for reading (other readers allowed). The result
    /// is a seekable <see cref="FileStream"/>; its failures are <see cref="IOException"/>s or
    /// <see cref="UnauthorizedAccessException"/> with the operating system's reason.
    /// </summary>
    public static FileStream OpenRead(string path, int bufferSize = 1 << 16)
    {
        Check(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
    }

    /// <summary>The whole file as text (UTF-8, or the encoding its byte-order mark names), after <see cref="Check"/>.</summary>
    public static string ReadAllText(string path)
    {
        using var stream = OpenRead(path, 4096);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The whole file, after <see cref="Check"/>; refuses files above <paramref name="maxBytes"/> before reading.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        long length = Check(path);
        if (length > maxBytes)
            throw new IOException($"'{Path.GetFullPath(path)}' is {length} bytes, more than the {maxBytes} allowed for this kind of file.");
        using var stream = OpenRead(path, 4096);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static FileNotFoundException Missing(string full) =>
        new($"'{full}' does not exist.", full);

    /// <summary>statx(2) through the C library: the file type and size without opening the file.</summary>
    private static partial class LinuxStat
    {
        private const int AtFdCwd = -100;
        private const uint StatxType = 0x1, StatxSize = 0x200;
        private const int ENOENT = 2, ENOTDIR = 20;

        [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

        /// <summary>False when statx itself is unavailable (old kernel or C library): the caller falls back.</summary>
        public static unsafe bool TryGetType(string path, out FileKind kind, out long length, out bool missing)
        {
            kind = FileKind.Regular;
            length = 0;
            missing = false;
            byte* buffer = stackalloc byte[256]; // sizeof(struct statx)
            int rc;
            try
            {
                rc = Statx(AtFdCwd, path, 0, StatxType | StatxSize, buffer);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
            if (rc != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno is ENOENT or ENOTDIR)
                {
                    missing = true;
                    return true;
                }
                return false; // permission problems and the like: let open() report them
            }
            ushort mode = *(ushort*)(buffer + 28); // stx_mode
            length = *(long*)(buffer + 40);        // stx_size
            kind = (mode & 0xF000) switch
            {
                0x8000 => FileKind.Regular,
                0x4000 => FileKind.Folder,
                0x1000 => FileKind.Fifo,
                0x2000 => FileKind.CharacterDevice,
                0x6000 => FileKind.BlockDevice,
                0xC000 => FileKind.Socket,
                _ => FileKind.Other,
            };
            return true;
        }
    }
}

/// <summary>
/// What a path names, as far as CnnNative's input check tells them apart (see
/// <see cref="NotARegularFileException"/>). Outside Linux only <see cref="Folder"/> is detected.
/// </summary>
public enum FileKind
{
    /// <summary>An ordinary file: the only kind that is read.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Folder,
    /// <summary>A named pipe; opening it would block until a writer appears.</summary>
    Fifo,
    /// <summary>A character device such as <c>/dev/zero</c>, which may never end.</summary>
    CharacterDevice,
    /// <summary>A block device such as a disk.</summary>
    BlockDevice,
    /// <summary>A Unix domain socket.</summary>
    Socket,
    /// <summary>Any other special file.</summary>
    Other,
}
