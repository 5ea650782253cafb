using System.Diagnostics;
using System.Numerics.Tensors;
using CnnNative.Nn;

namespace CnnNative.Distributed;

/// <summary>
/// Averages a step's gradients over all ranks with ONE all-reduce over one flat host buffer, so
/// that every rank applies the same update — the step of one process with the whole batch.
/// <para>Each rank's gradient is the mean over its own n_r samples (the loss divides by the
/// local batch), so the buffer carries n_r·g_r and, in one extra slot, n_r; after the sum,
/// dividing by Σn_r gives (1/N)·Σ over all N samples, exact also for a last batch that does not
/// split evenly. A second extra slot carries a stop request: when any rank asks to stop (Ctrl+C),
/// every rank learns it in the same step and stops after it (<see cref="StopAgreed"/>) — no rank
/// is left waiting in a collective.</para>
/// <para>Gradients move to the host and back once per parameter per step (on the CPU providers a
/// copy; on a device provider <see cref="TransfersPerStep"/> downloads plus as many uploads).</para>
/// </summary>
public sealed class GradientAllReduce : IGradientReducer
{
    private readonly ICommunicator _world;
    private readonly Network _network;
    private readonly CancellationTokenSource _stopAgreed = new();
    private readonly float[] _flat;
    private readonly Stopwatch _clock = new();

    /// <param name="world">The ranks that train together.</param>
    /// <param name="network">This rank's copy of the model (its last forward pass gives n_r).</param>
    public GradientAllReduce(ICommunicator world, Network network)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(network);
        _world = world;
        _network = network;
        long total = network.Parameters.Sum(p => (long)p.Gradient.Length);
        _flat = new float[checked((int)total + 2)];
        TransfersPerStep = network.Parameters.Count;
    }

    /// <summary>This rank's own stop request (Ctrl+C, SIGTERM); shared with the other ranks at every step.</summary>
    public CancellationToken StopRequest { get; set; }

    /// <summary>Cancelled on every rank in the same step once any rank asked to stop; give this token to the trainer.</summary>
    public CancellationToken StopAgreed => _stopAgreed.Token;

    /// <summary>Values in the all-reduced buffer: every gradient plus the two extra slots.</summary>
    public int BufferLength => _flat.Length;

    /// <summary>Downloads (and as many uploads) of gradients per step.</summary>
    public int TransfersPerStep { get; }

    /// <summary>Steps reduced so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Time spent in the all-reduce itself (not the copies), over <see cref="Steps"/>.</summary>
    public TimeSpan CommunicationTime => _clock.Elapsed;

    /// <inheritdoc/>
    public void Reduce(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var provider = _network.Provider;
        float samples = _network.Layers[0].BatchSize;
        int offset = 0;
        foreach (var p in parameters)
        {
            var slice = _flat.AsSpan(offset, p.Gradient.Length);
            provider.Download(p.Gradient, slice);
            TensorPrimitives.Multiply(slice, samples, slice);
            offset += slice.Length;
        }
        if (offset + 2 != _flat.Length)
            throw new ArgumentException($"The parameters hold {offset} gradient values; this reducer was made for {_flat.Length - 2}.", nameof(parameters));
        _flat[offset] = samples;
        _flat[offset + 1] = StopRequest.IsCancellationRequested ? 1 : 0;

        _clock.Start();
        _world.AllReduceSum(_flat);
        _clock.Stop();
        Steps++;

        float scale = 1f / _flat[offset];
        offset = 0;
        foreach (var p in parameters)
        {
            var slice = _flat.AsSpan(offset, p.Gradient.Length);
            TensorPrimitives.Multiply(slice, scale, slice);
            provider.Upload(slice, p.Gradient);
            offset += slice.Length;
        }
        if (_flat[offset + 1] > 0) _stopAgreed.Cancel();
    }

    /// <inheritdoc/>
    public void ReduceTotals(Span<double> totals) => _world.AllReduceSum(totals);

    /// <summary>
    /// Replaces each rank's batch-norm running statistics (and any other buffer) by their mean
    /// over the ranks. Every rank normalises with its own batch statistics during the epoch
    /// (as PyTorch's DistributedDataParallel does without SyncBatchNorm: no extra collective
    /// inside every forward pass); their running averages drift apart slightly, and this makes
    /// them one again before evaluation and the checkpoint, so all ranks evaluate one model.
    /// </summary>
    public void EpochFinished(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var buffers = network.Buffers;
        if (buffers.Count == 0 || _world.Size == 1) return;
        var host = new float[buffers.Sum(b => b.Tensor.Length)];
        int offset = 0;
        foreach (var b in buffers)
        {
            network.Provider.Download(b.Tensor, host.AsSpan(offset, b.Tensor.Length));
            offset += b.Tensor.Length;
        }
        _world.AllReduceSum(host);
        TensorPrimitives.Multiply(host, 1f / _world.Size, host);
        offset = 0;
        foreach (var b in buffers)
        {
            network.Provider.Upload(host.AsSpan(offset, b.Tensor.Length), b.Tensor);
            offset += b.Tensor.Length;
        }
    }
}
