using CnnNative.Core;
using CnnNative.Data;

namespace CnnNative.Nn.Training;

/// <summary>
/// Runs a network in inference mode over a whole data set, in file order.
/// <see cref="Accuracy"/> counts correct predictions on the provider and downloads one number;
/// <see cref="Evaluate"/> also downloads each batch's scores to build the confusion matrix.
/// </summary>
public sealed class Evaluator : IDisposable
{
    private readonly Network _network;
    private readonly BatchFeeder _feeder;
    private readonly Tensor _correct;
    private readonly Tensor _lossSum;
    private readonly float[] _host = new float[1];

    /// <param name="network">The model to evaluate.</param>
    /// <param name="batchSize">Samples per forward pass (memory, not results, depends on it).</param>
    /// <param name="memoryLimit">The most memory evaluation may plan to use, in bytes (<see cref="MemoryEstimate.Check"/>); null follows the machine.</param>
    /// <exception cref="InvalidModelException">The model would need more memory than that at <paramref name="batchSize"/>.</exception>
    public Evaluator(Network network, int batchSize, long? memoryLimit = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        MemoryEstimate.Check(network.Summary, batchSize, memoryLimit);
        _network = network;
        _feeder = new BatchFeeder(network.Provider, network.InputShape, batchSize);
        _correct = network.Provider.Allocate(new TensorShape(1));
        try
        {
            _lossSum = network.Provider.Allocate(new TensorShape(1));
        }
        catch
        {
            _feeder.Dispose();
            _correct.Dispose();
            throw;
        }
    }

    /// <summary>Throws a clear error when <paramref name="data"/> does not fit <paramref name="network"/>.</summary>
    public static void CheckFits(Network network, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        var input = network.InputShape;
        bool fits = input.Length == data.SampleSize
                    && (input.Rank != 3 || (input[0] == data.Channels && input[1] == data.Rows && input[2] == data.Columns));
        if (!fits)
            throw new TrainingSetupException(
                $"The {data.Name} images are {data.Channels}×{data.Rows}×{data.Columns} but the model takes [{string.Join(", ", input.Dimensions)}]; use data of the size the model was trained on.");
        if (data.ClassCount != network.Classes)
            throw new TrainingSetupException(
                $"The {data.Name} data has {data.ClassCount} classes but the model predicts {network.Classes}; use data with the classes the model was trained on.");
    }

    /// <summary>Fraction of <paramref name="data"/> classified correctly (one download).</summary>
    public double Accuracy(Dataset data)
    {
        CheckFits(_network, data);
        var provider = _network.Provider;
        var batcher = Batcher.ForEvaluation(data, _feeder.BatchSize);
        provider.Fill(_correct, 0f);
        while (_feeder.TryFeed(batcher, out _))
        {
            var scores = _network.Predict(_feeder.Images);
            provider.CountCorrect(_network.LossLayer.AsMatrix(scores), _feeder.Labels, _correct);
        }
        provider.Download(_correct, _host);
        return (double)_host[0] / data.Count;
    }

    /// <summary>
    /// The mean loss and the accuracy of <paramref name="data"/> in inference mode (what the
    /// trainer reports for the validation set): both summed on the provider, two downloads.
    /// </summary>
    public (double Loss, double Accuracy) LossAndAccuracy(Dataset data)
    {
        CheckFits(_network, data);
        var provider = _network.Provider;
        var batcher = Batcher.ForEvaluation(data, _feeder.BatchSize);
        provider.Fill(_correct, 0f);
        provider.Fill(_lossSum, 0f);
        while (_feeder.TryFeed(batcher, out int count))
        {
            _network.Predict(_feeder.Images);
            var loss = _network.Loss(_feeder.Labels);
            provider.Axpy(count, loss, _lossSum);
            _network.CountCorrect(_feeder.Labels, _correct);
        }
        provider.Download(_lossSum, _host);
        double lossSum = _host[0];
        provider.Download(_correct, _host);
        return (lossSum / data.Count, (double)_host[0] / data.Count);
    }

    /// <summary>Accuracy, per-class accuracy and the confusion matrix of <paramref name="data"/>.</summary>
    public EvaluationResult Evaluate(Dataset data)
    {
        CheckFits(_network, data);
        int classes = _network.Classes;
        var confusion = new long[classes, classes];
        var scores = new float[_feeder.BatchSize * classes];
        var batcher = Batcher.ForEvaluation(data, _feeder.BatchSize);
        while (_feeder.TryFeed(batcher, out int count))
        {
            var output = _network.Predict(_feeder.Images);
            _network.Provider.Download(output, scores.AsSpan(0, count * classes));
            var labels = _feeder.HostLabels(count);
            for (int n = 0; n < count; n++)
                confusion[(int)labels[n], ArgMax(scores.AsSpan(n * classes, classes))]++;
        }
        return new EvaluationResult(data.ClassNames, confusion);
    }

    /// <summary>Index of the largest score; the first wins a tie, as the contract's CountCorrect does.</summary>
    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++)
            if (row[i] > row[best]) best = i;
        return best;
    }

    /// <summary>Frees the evaluator's provider buffers; the network is not disposed.</summary>
    public void Dispose()
    {
        _feeder.Dispose();
        _correct.Dispose();
        _lossSum.Dispose();
    }
}
