namespace CnnNative.Distributed;

/// <summary>
/// An MPI call returned an error (we install <c>MPI_ERRORS_RETURN</c> on the world communicator,
/// so errors come back as codes instead of aborting the process). <see cref="ErrorName"/> is the
/// error class's name from <c>mpi.h</c>, the message adds the library's own description.
/// </summary>
public sealed class MpiException : Exception
{
    // Open MPI's mpi.h error classes 0–17; the rest are reported by number.
    private static readonly string[] Names =
    [
        "MPI_SUCCESS", "MPI_ERR_BUFFER", "MPI_ERR_COUNT", "MPI_ERR_TYPE", "MPI_ERR_TAG", "MPI_ERR_COMM",
        "MPI_ERR_RANK", "MPI_ERR_REQUEST", "MPI_ERR_ROOT", "MPI_ERR_GROUP", "MPI_ERR_OP", "MPI_ERR_TOPOLOGY",
        "MPI_ERR_DIMS", "MPI_ERR_ARG", "MPI_ERR_UNKNOWN", "MPI_ERR_TRUNCATE", "MPI_ERR_OTHER", "MPI_ERR_INTERN",
    ];

    /// <summary>Creates the exception for <paramref name="code"/> returned by <paramref name="function"/>.</summary>
    public MpiException(string function, int code, string description)
        : base($"{function} failed with {NameOf(code)} ({code}): {description}")
    {
        Function = function;
        ErrorCode = code;
        ErrorName = NameOf(code);
    }

    /// <summary>The MPI function that failed, e.g. <c>MPI_Allreduce</c>.</summary>
    public string Function { get; }

    /// <summary>The code the function returned.</summary>
    public int ErrorCode { get; }

    /// <summary>The error class name from <c>mpi.h</c>, e.g. <c>MPI_ERR_COUNT</c>.</summary>
    public string ErrorName { get; }

    /// <summary>The <c>mpi.h</c> name of an error code, or "MPI error N" beyond the standard classes.</summary>
    public static string NameOf(int code) => code >= 0 && code < Names.Length ? Names[code] : $"MPI error {code}";
}
