namespace CnnNative.Distributed.Interop;

/// <summary>
/// Open MPI's predefined handles. In its <c>mpi.h</c>, <c>MPI_COMM_WORLD</c> is
/// <c>&amp;ompi_mpi_comm_world</c>, <c>MPI_FLOAT</c> is <c>&amp;ompi_mpi_float</c> and so on: the
/// addresses of exported globals. (MS-MPI uses integer constants instead — see native/README.md.)
/// </summary>
internal sealed record MpiHandles(nint CommWorld, nint Float, nint Double, nint Sum, nint ErrorsReturn)
{
    /// <summary>The exported symbols behind each handle, in constructor order.</summary>
    public static readonly string[] Symbols =
        ["ompi_mpi_comm_world", "ompi_mpi_float", "ompi_mpi_double", "ompi_mpi_op_sum", "ompi_mpi_errors_return"];

    public static MpiHandles FromExports(IReadOnlyList<nint> exports) =>
        new(exports[0], exports[1], exports[2], exports[3], exports[4]);
}
