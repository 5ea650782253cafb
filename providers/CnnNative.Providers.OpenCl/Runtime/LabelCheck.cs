using System.Runtime.InteropServices;
using CnnNative.Core;
using CnnNative.Providers.OpenCl.Interop;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// Out-of-range labels, reported as the host providers report them
/// (<see cref="ComputeProvider.LabelOutOfRange"/>) without a round trip per loss call: the
/// loss kernels record a bad label in a two-int device buffer (loss.cl, report_bad_label),
/// and the provider reads it right after the next download or synchronisation that follows a
/// loss kernel — one 8-byte read per training step, behind the loss's own. A flag that was
/// set is cleared before the exception is thrown, so the provider stays usable.
/// </summary>
internal sealed class LabelCheck : IDisposable
{
    private const int NoBadRow = int.MaxValue;
    private readonly ClRuntime _runtime;
    private readonly ClMemHandle _flag;
    private bool _pending;
    private int _classes;

    public LabelCheck(ClRuntime runtime)
    {
        _runtime = runtime;
        _flag = runtime.CreateBuffer(2 * sizeof(int));
        Clear();
    }

    /// <summary>The buffer a loss kernel over <paramref name="classes"/> classes reports into; a check is now due.</summary>
    public ClMemHandle ReportTo(int classes)
    {
        _pending = true;
        _classes = classes;
        return _flag;
    }

    /// <summary>Reads the flag if a loss kernel ran since the last read; throws when it reported a bad label.</summary>
    public void ThrowIfReported()
    {
        if (!_pending) return;
        _pending = false;
        Span<int> flag = stackalloc int[2];
        _runtime.Read(_flag, MemoryMarshal.Cast<int, float>(flag));
        if (flag[0] == NoBadRow) return;
        Clear();
        throw ComputeProvider.LabelOutOfRange(flag[0], BitConverter.Int32BitsToSingle(flag[1]), _classes);
    }

    private void Clear()
    {
        ReadOnlySpan<int> none = [NoBadRow, 0];
        _runtime.Write(_flag, MemoryMarshal.Cast<int, float>(none));
    }

    public void Dispose() => _flag.Dispose();
}
