using System.Runtime.InteropServices;
using CnnNative.Core;
using CnnNative.Providers.OpenCl.Interop;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// Out-of-range labels, reported as the host providers report them
/// (<see cref="ComputeProvider.LabelOutOfRange"/>) without a round trip of their own: the
/// loss kernels record a bad label in a two-int device buffer (loss.cl, report_bad_label),
/// each such kernel is followed by a non-blocking read of those 8 bytes into host memory, and
/// the provider looks at that memory after its next download or synchronisation — which has
/// waited for every earlier command of the in-order queue, the read included. A flag that was
/// set is cleared before the exception is thrown, so the provider stays usable.
/// </summary>
internal sealed unsafe class LabelCheck : IDisposable
{
    private const int NoBadRow = int.MaxValue;
    private readonly ClRuntime _runtime;
    private readonly ClMemHandle _flag;
    private readonly int* _host;   // native, so the queued read may write it at any time
    private bool _pending;
    private int _classes;

    public LabelCheck(ClRuntime runtime)
    {
        _runtime = runtime;
        _flag = runtime.CreateBuffer(2 * sizeof(int));
        _host = (int*)NativeMemory.Alloc(2 * sizeof(int));
        Clear();
    }

    /// <summary>The buffer the loss kernels report into.</summary>
    public ClMemHandle Flag => _flag;

    /// <summary>Call right after enqueuing a loss kernel over <paramref name="classes"/> classes: queues the flag's read-back.</summary>
    public void Enqueued(int classes)
    {
        _runtime.ReadAsync(_flag, _host, 2 * sizeof(int));
        _pending = true;
        _classes = classes;
    }

    /// <summary>Call after the queue was waited for (a blocking read, or finish): throws when a loss kernel reported a bad label.</summary>
    public void ThrowIfReported()
    {
        if (!_pending) return;
        _pending = false;
        int row = _host[0];
        if (row == NoBadRow) return;
        float label = BitConverter.Int32BitsToSingle(_host[1]);
        Clear();
        throw ComputeProvider.LabelOutOfRange(row, label, _classes);
    }

    private void Clear()
    {
        _host[0] = NoBadRow;
        _host[1] = 0;
        _runtime.Write(_flag, new ReadOnlySpan<float>(_host, 2));
    }

    public void Dispose()
    {
        // The provider finishes its queue before this runs, so no read is still writing _host.
        _flag.Dispose();
        NativeMemory.Free(_host);
    }
}
