using System.Text;
using CnnNative.Core;
using CnnNative.Core.Native;

namespace CnnNative.Providers.OpenBlas.Interop;

/// <summary>Turns the recorded attempts into the one message a user sees when OpenBLAS cannot start.</summary>
internal static class LoadFailure
{
    public const string DebianInstall = "sudo apt-get install libopenblas0-pthread";

    public static ProviderUnavailableException NothingLoaded(LibrarySetting? setting, IReadOnlyList<LoadAttempt> attempts)
    {
        var reason = new StringBuilder();
        reason.Append(setting is null
            ? "no usable OpenBLAS library was found."
            : $"the OpenBLAS library set by {setting.Source} ('{setting.Value}') could not be used.");
        // One line, attempts separated by semicolons: a user without --verbose sees every one.
        reason.Append(" Tried: ").Append(string.Join("; ", attempts)).Append('.');

        string fix = setting is null
            ? InstallHint() + " Or set Compute:OpenBlas:LibraryPath (or CNN_OPENBLAS_LIBRARY) to the library file. See native/README.md."
            : $"Fix or remove {setting.Source}; without it the app's runtimes/<rid>/native folder and the system library are tried. " + InstallHint();
        return new ProviderUnavailableException("openblas", reason.ToString(), fix);
    }

    /// <summary>How to get the LP64 OpenBLAS on this OS.</summary>
    public static string InstallHint()
    {
        if (OperatingSystem.IsWindows())
            return "Download the OpenBLAS release for Windows x64 and put libopenblas.dll (with its bin/ DLLs) in the app's runtimes/win-x64/native folder or on PATH.";
        if (OperatingSystem.IsMacOS())
            return "Install it with `brew install openblas`.";
        return $"Install it with `{DebianInstall}` (Debian/Ubuntu), or your distribution's LP64 OpenBLAS package (see native/README.md for other file names).";
    }
}
