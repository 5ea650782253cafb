namespace CnnNative.Distributed;

/// <summary>
/// The processes that train one model together. Every rank runs the same program on its share
/// of each batch; <see cref="AllReduceSum(Span{float})"/> is how their gradients become one.
/// A process started without <c>mpirun</c> is a world of one (<see cref="SingleProcessCommunicator"/>),
/// where every collective is a no-op.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's index, 0 ≤ Rank &lt; Size; rank 0 writes the run folder.</summary>
    int Rank { get; }

    /// <summary>How many processes train together.</summary>
    int Size { get; }

    /// <summary>True on rank 0, the one that writes checkpoints, metrics and reports.</summary>
    bool IsRoot => Rank == 0;

    /// <summary>What carries the collectives, e.g. "Open MPI v4.1.4 (libmpi.so.40), 2 ranks".</summary>
    string Description { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise sum over all ranks.</summary>
    void AllReduceSum(Span<float> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise sum over all ranks.</summary>
    void AllReduceSum(Span<double> values);

    /// <summary>Copies <paramref name="values"/> of rank <paramref name="root"/> to every other rank.</summary>
    void Broadcast(Span<float> values, int root = 0);

    /// <summary>Returns when every rank has called it.</summary>
    void Barrier();

    /// <summary>
    /// Stops every rank now with <paramref name="exitCode"/> (MPI_Abort): for an error on one rank
    /// that the others would otherwise wait for forever in their next collective.
    /// </summary>
    void Abort(int exitCode);
}
