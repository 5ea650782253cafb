using System.Text;
using CnnNative.Distributed.Interop;

namespace CnnNative.Distributed;

/// <summary>
/// The process was asked to train across processes (it was started by <c>mpirun</c>, or a caller
/// asked for MPI) but no usable Open MPI library could be loaded. The message lists every file
/// tried and how to install Open MPI.
/// </summary>
public sealed class MpiUnavailableException : Exception
{
    /// <summary>The Debian/Ubuntu packages that provide <c>mpirun</c> and <c>libmpi.so.40</c>.</summary>
    public const string DebianPackages = "openmpi-bin libopenmpi3";

    /// <summary>Creates the exception with a full message.</summary>
    public MpiUnavailableException(string message) : base(message) { }

    internal static MpiUnavailableException NothingLoaded(string? setting, IReadOnlyList<MpiLoadAttempt> attempts)
    {
        // The first line is whole on its own (the CLI shows only it without --verbose).
        var text = new StringBuilder("Distributed training is not available: ");
        text.Append(setting is null
            ? $"no usable Open MPI library (libmpi) was found. Install Open MPI (sudo apt-get install -y {DebianPackages} on Debian/Ubuntu) or set {MpiLibrary.LibraryVariable} to its libmpi file."
            : $"the MPI library set by {MpiLibrary.LibraryVariable} ('{setting}') could not be used. Fix or unset {MpiLibrary.LibraryVariable}; without it libmpi.so.40 is searched for by the system loader.");
        if (attempts.Count == 0)
            text.Append(" This binding speaks Open MPI only; on Windows, MS-MPI would need its own handle scheme (see native/README.md).");
        foreach (var attempt in attempts)
            text.Append(Environment.NewLine).Append("  - tried ").Append(attempt);
        return new MpiUnavailableException(text.ToString());
    }
}
