using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn;

namespace CnnNative.Cli.Commands;

/// <summary>
/// One unit of end-to-end work for the meter: a batch goes from host memory to the provider
/// and through the network. <see cref="Step"/> may return before the provider has finished
/// (OpenCL queues work); <see cref="Finish"/> waits until everything issued is done, so a
/// timed window that ends with it counts only completed work.
/// </summary>
internal interface IBenchWorkload
{
    /// <summary>Issues one batch; returns the number of images in it.</summary>
    int Step();

    /// <summary>Waits for the provider to finish everything issued.</summary>
    void Finish();
}

/// <summary>
/// Training as `cnn train` runs it: shuffled mini-batches of the training set are uploaded
/// (images and labels), then forward, loss, backward and the optimizer update. A new epoch
/// starts (reshuffled) when the data runs out. Only full batches are used, so every step
/// measures the same amount of work.
/// </summary>
internal sealed class TrainingWorkload : IBenchWorkload, IDisposable
{
    private readonly Network _net;
    private readonly Optimizer _optimizer;
    private readonly Batcher _batcher;
    private readonly float[] _images;
    private readonly float[] _labels;
    private readonly Tensor _x;
    private readonly Tensor _t;
    private int _epoch;

    public TrainingWorkload(Network net, Optimizer optimizer, Dataset train, int batchSize, ulong seed)
    {
        if (train.Count < batchSize)
            throw new CliException($"The training set has {train.Count} images, fewer than one batch of {batchSize}; use a smaller --batch-size.", ExitCodes.Usage);
        _net = net;
        _optimizer = optimizer;
        _batcher = Batcher.ForTraining(train, batchSize, seed, dropLast: true);
        _images = new float[_batcher.ImageBufferLength];
        _labels = new float[batchSize];
        _x = net.Provider.Allocate(train.BatchShape(batchSize));
        _t = net.Provider.Allocate(new TensorShape(batchSize));
        _batcher.StartEpoch(_epoch);
    }

    public int Step()
    {
        if (!_batcher.TryNext(_images, _labels, out int count))
        {
            _batcher.StartEpoch(++_epoch);
            _batcher.TryNext(_images, _labels, out count);
        }
        var provider = _net.Provider;
        provider.Upload(_images, _x);
        provider.Upload(_labels, _t);
        _net.TrainStep(_x, _t, _optimizer);
        return count;
    }

    /// <summary>Downloads the loss (a step's only host read) and synchronises; a non-finite loss stops the benchmark.</summary>
    public void Finish()
    {
        float loss = _net.ReadLoss();
        _net.Provider.Synchronize();
        if (!float.IsFinite(loss))
            throw new CliException($"Training {_net.Spec.Name} on {_net.Provider.Name} diverged (loss {loss}); the throughput figure would be meaningless.");
    }

    public void Dispose()
    {
        _x.Dispose();
        _t.Dispose();
    }
}

/// <summary>
/// Inference as `cnn eval` runs it: test-set batches in order are uploaded, run forward in
/// inference mode, and the correct predictions are counted on the provider.
/// </summary>
internal sealed class InferenceWorkload : IBenchWorkload, IDisposable
{
    private readonly Network _net;
    private readonly Batcher _batcher;
    private readonly float[] _images;
    private readonly float[] _labels;
    private readonly Tensor _x;
    private readonly Tensor _t;

    public InferenceWorkload(Network net, Dataset test, int batchSize)
    {
        if (test.Count < batchSize)
            throw new CliException($"The test set has {test.Count} images, fewer than one batch of {batchSize}; use a smaller --batch-size.", ExitCodes.Usage);
        _net = net;
        _batcher = new Batcher(test, batchSize, shuffle: false, dropLast: true);
        _images = new float[_batcher.ImageBufferLength];
        _labels = new float[batchSize];
        _x = net.Provider.Allocate(test.BatchShape(batchSize));
        _t = net.Provider.Allocate(new TensorShape(batchSize));
        _batcher.StartEpoch(0);
        _net.ResetCorrect();
    }

    public int Step()
    {
        if (!_batcher.TryNext(_images, _labels, out int count))
        {
            _batcher.StartEpoch(0);
            _batcher.TryNext(_images, _labels, out count);
        }
        var provider = _net.Provider;
        provider.Upload(_images, _x);
        provider.Upload(_labels, _t);
        _net.Predict(_x);
        _net.CountCorrect(_t);
        return count;
    }

    public void Finish()
    {
        _net.ReadCorrect();
        _net.Provider.Synchronize();
    }

    public void Dispose()
    {
        _x.Dispose();
        _t.Dispose();
    }
}
