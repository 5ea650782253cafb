using System.Runtime.InteropServices;

namespace CnnNative.Distributed.Interop;

/// <summary>
/// The MPI functions we call, with their C names. Handles (<c>MPI_Comm</c>, <c>MPI_Datatype</c>,
/// <c>MPI_Op</c>, <c>MPI_Errhandler</c>) are pointers in Open MPI — the addresses of exported
/// globals that <see cref="MpiLibrary"/> looks up — so they travel as <see cref="nint"/>.
/// "mpi" is not a file name: <see cref="MpiLibrary"/>'s resolver maps it to the library it accepted.
/// </summary>
internal static unsafe partial class MpiNative
{
    private const string Lib = "mpi";

    /// <summary><c>MPI_IN_PLACE</c> in Open MPI's <c>mpi.h</c>: <c>((void *) 1)</c>.</summary>
    public static readonly void* InPlace = (void*)1;

    /// <summary><c>MPI_THREAD_SERIALIZED</c> in Open MPI's <c>mpi.h</c>: one thread at a time may call MPI, not always the one that initialised it.</summary>
    public const int ThreadSerialized = 2;

    [LibraryImport(Lib)] public static partial int MPI_Initialized(int* flag);
    [LibraryImport(Lib)] public static partial int MPI_Finalized(int* flag);
    [LibraryImport(Lib)] public static partial int MPI_Init_thread(int* argc, byte*** argv, int required, int* provided);
    [LibraryImport(Lib)] public static partial int MPI_Finalize();
    [LibraryImport(Lib)] public static partial int MPI_Comm_rank(nint comm, int* rank);
    [LibraryImport(Lib)] public static partial int MPI_Comm_size(nint comm, int* size);
    [LibraryImport(Lib)] public static partial int MPI_Comm_set_errhandler(nint comm, nint errhandler);
    [LibraryImport(Lib)] public static partial int MPI_Allreduce(void* sendbuf, void* recvbuf, int count, nint datatype, nint op, nint comm);
    [LibraryImport(Lib)] public static partial int MPI_Bcast(void* buffer, int count, nint datatype, int root, nint comm);
    [LibraryImport(Lib)] public static partial int MPI_Barrier(nint comm);
    [LibraryImport(Lib)] public static partial int MPI_Abort(nint comm, int errorcode);
    [LibraryImport(Lib)] public static partial int MPI_Error_string(int errorcode, byte* text, int* length);
    [LibraryImport(Lib)] public static partial int MPI_Get_library_version(byte* version, int* length);
}
