using System.Globalization;

namespace CnnNative.Core.Native;

/// <summary>
/// Which file a loaded library really is. A bare soname ("libopenblas.so.0") goes through
/// Debian's alternatives symlinks to e.g. <c>openblas-pthread/libopenblasp-r0.3.21.so</c>;
/// `cnn providers` should show that file, so we look up the mapping that contains one of its
/// exported functions in <c>/proc/self/maps</c> (Linux). Elsewhere the name we loaded stands.
/// </summary>
internal static class LoadedFile
{
    /// <summary>The file mapped at <paramref name="exportAddress"/> (one of the library's functions), else <paramref name="loadedAs"/> (made absolute when it is a file).</summary>
    public static string Describe(nint exportAddress, string loadedAs)
    {
        string? mapped = MappedFile(exportAddress);
        if (mapped is not null) return mapped;
        return File.Exists(loadedAs) ? Path.GetFullPath(loadedAs) : loadedAs;
    }

    private static string? MappedFile(nint address)
    {
        if (!OperatingSystem.IsLinux() || address == 0) return null;
        try
        {
            ulong target = (ulong)address;
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                // "7f1c2a000000-7f1c2a400000 r-xp 00000000 08:01 1234   /usr/lib/…/libopenblasp-r0.3.21.so"
                int dash = line.IndexOf('-');
                int space = line.IndexOf(' ');
                if (dash <= 0 || space <= dash) continue;
                if (!ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)) continue;
                if (!ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end)) continue;
                if (target < start || target >= end) continue;
                int slash = line.IndexOf('/');
                return slash < 0 ? null : line[slash..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
