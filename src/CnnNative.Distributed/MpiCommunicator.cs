using System.Text;
using CnnNative.Distributed.Interop;

namespace CnnNative.Distributed;

/// <summary>
/// <c>MPI_COMM_WORLD</c> of Open MPI. Created once per process by <see cref="Initialize"/>
/// (<c>MPI_Init_thread</c> with <c>MPI_THREAD_SERIALIZED</c>: the training loop may move between
/// threads but never calls MPI from two at once); <see cref="Dispose"/> finalizes MPI, after
/// which no MPI call is possible in this process. Errors come back as <see cref="MpiException"/>.
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator
{
    // MPI_Allreduce takes an int count; longer buffers go in pieces of this many elements.
    private const int MaxCount = 1 << 30;

    private static readonly Lock Gate = new();
    private static MpiCommunicator? s_world;
    private readonly MpiHandles _h;
    private bool _finalized;

    private MpiCommunicator(MpiHandles handles, int rank, int size, string version)
    {
        _h = handles;
        Rank = rank;
        Size = size;
        Description = $"{version} ({MpiLibrary.LoadedFrom}), {size} rank{(size == 1 ? "" : "s")}";
    }

    /// <summary>
    /// Loads Open MPI, initialises it (once per process) and returns the world. Without
    /// <c>mpirun</c> this is a world of one.
    /// </summary>
    /// <exception cref="MpiUnavailableException">Open MPI is not installed or not usable.</exception>
    /// <exception cref="MpiException">MPI_Init_thread failed, or MPI was finalized already in this process.</exception>
    public static MpiCommunicator Initialize()
    {
        lock (Gate)
        {
            if (s_world is not null) return s_world;
            var h = MpiLibrary.Load();
            int flag;
            Check(MpiNative.MPI_Finalized(&flag), "MPI_Finalized");
            if (flag != 0)
                throw new MpiException("MPI_Init_thread", 16, "MPI was already finalized in this process and cannot start again.");
            Check(MpiNative.MPI_Initialized(&flag), "MPI_Initialized");
            if (flag == 0)
            {
                int provided;
                Check(MpiNative.MPI_Init_thread(null, null, MpiNative.ThreadSerialized, &provided), "MPI_Init_thread");
                if (provided < MpiNative.ThreadSerialized)
                    throw new MpiException("MPI_Init_thread", 16, $"the library offers thread level {provided}; training needs MPI_THREAD_SERIALIZED (2).");
            }
            Check(MpiNative.MPI_Comm_set_errhandler(h.CommWorld, h.ErrorsReturn), "MPI_Comm_set_errhandler");
            int rank, size;
            Check(MpiNative.MPI_Comm_rank(h.CommWorld, &rank), "MPI_Comm_rank");
            Check(MpiNative.MPI_Comm_size(h.CommWorld, &size), "MPI_Comm_size");
            s_world = new MpiCommunicator(h, rank, size, LibraryVersion());
            return s_world;
        }
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values) => AllReduce(values, _h.Float);

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values) => AllReduce(values, _h.Double);

    private void AllReduce<T>(Span<T> values, nint type) where T : unmanaged
    {
        ThrowIfFinalized();
        fixed (T* p = values)
        {
            for (int start = 0; start < values.Length; start += MaxCount)
            {
                int count = Math.Min(MaxCount, values.Length - start);
                Check(MpiNative.MPI_Allreduce(MpiNative.InPlace, p + start, count, type, _h.Sum, _h.CommWorld), "MPI_Allreduce");
            }
        }
    }

    /// <inheritdoc/>
    public void Broadcast(Span<float> values, int root = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, Size);
        ThrowIfFinalized();
        fixed (float* p = values)
        {
            for (int start = 0; start < values.Length; start += MaxCount)
                Check(MpiNative.MPI_Bcast(p + start, Math.Min(MaxCount, values.Length - start), _h.Float, root, _h.CommWorld), "MPI_Bcast");
        }
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        ThrowIfFinalized();
        Check(MpiNative.MPI_Barrier(_h.CommWorld), "MPI_Barrier");
    }

    /// <inheritdoc/>
    public void Abort(int exitCode)
    {
        if (!_finalized) MpiNative.MPI_Abort(_h.CommWorld, exitCode);
        Environment.Exit(exitCode);
    }

    /// <summary>Finalizes MPI (collective: every rank must reach it). Later calls throw.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_finalized) return;
            _finalized = true;
            MpiNative.MPI_Finalize();
        }
    }

    private void ThrowIfFinalized() => ObjectDisposedException.ThrowIf(_finalized, this);

    private static void Check(int code, string function)
    {
        if (code != 0) throw new MpiException(function, code, ErrorString(code));
    }

    private static string ErrorString(int code)
    {
        // MPI_MAX_ERROR_STRING is 256 in Open MPI.
        byte* text = stackalloc byte[256];
        int length = 0;
        return MpiNative.MPI_Error_string(code, text, &length) == 0 && length > 0
            ? Encoding.UTF8.GetString(text, length).Trim()
            : "no description";
    }

    private static string LibraryVersion()
    {
        // MPI_MAX_LIBRARY_VERSION_STRING is 256 in Open MPI; the text runs over several lines.
        byte* text = stackalloc byte[256];
        int length = 0;
        if (MpiNative.MPI_Get_library_version(text, &length) != 0 || length <= 0) return "MPI";
        string full = Encoding.UTF8.GetString(text, Math.Min(length, 256));
        int comma = full.IndexOfAny([',', '\n']);
        return (comma > 0 ? full[..comma] : full).Trim();
    }
}
