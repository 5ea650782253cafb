using CnnNative.Core;
using CnnNative.Nn;

namespace CnnNative.Cli.Report;

/// <summary>
/// Runs a network in inference mode on samples held on the host and brings back each
/// sample's class probabilities: the scores go through the provider's <see cref="IComputeProvider.Softmax"/>
/// before the one download per batch. Used by the report (confusion matrix, confidence of
/// mistakes) and by <c>cnn predict</c>.
/// </summary>
internal sealed class ProbabilityRunner : IDisposable
{
    private readonly Network _network;
    private readonly Tensor _images;
    private readonly Tensor _probabilities;

    public ProbabilityRunner(Network network, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _network = network;
        BatchSize = batchSize;
        _images = network.Provider.Allocate(BatchShape(batchSize));
        try
        {
            _probabilities = network.Provider.Allocate(new TensorShape(batchSize, network.Classes));
        }
        catch
        {
            _images.Dispose();
            throw;
        }
    }

    /// <summary>Most samples one <see cref="Run"/> takes.</summary>
    public int BatchSize { get; }

    public int Classes => _network.Classes;

    /// <summary>Values per sample (the network's input shape, flattened).</summary>
    public int SampleSize => _network.InputShape.Length;

    /// <summary>
    /// Classifies <paramref name="count"/> samples laid end to end in <paramref name="samples"/>
    /// and writes count × <see cref="Classes"/> probabilities (row per sample) to <paramref name="probabilities"/>.
    /// </summary>
    public void Run(ReadOnlySpan<float> samples, int count, Span<float> probabilities)
    {
        if (count < 1 || count > BatchSize)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Between 1 and {BatchSize} samples per run.");
        if (samples.Length != count * SampleSize)
            throw new ArgumentException($"{count} samples need {count * SampleSize} values, got {samples.Length}.", nameof(samples));
        if (probabilities.Length < count * Classes)
            throw new ArgumentException($"{count} samples need room for {count * Classes} probabilities.", nameof(probabilities));

        var provider = _network.Provider;
        Tensor images = count == BatchSize ? _images : _images.View(BatchShape(count));
        Tensor probs = count == BatchSize ? _probabilities : _probabilities.View(count, Classes);
        provider.Upload(samples, images);
        Tensor scores = _network.Predict(images);
        provider.Softmax(_network.LossLayer.AsMatrix(scores), probs);
        provider.Download(probs, probabilities[..(count * Classes)]);
    }

    /// <summary>Index of the largest value; the first wins a tie, as the contract's CountCorrect does.</summary>
    public static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int i = 1; i < row.Length; i++)
            if (row[i] > row[best]) best = i;
        return best;
    }

    private TensorShape BatchShape(int count)
    {
        var input = _network.InputShape;
        var dims = new int[input.Rank + 1];
        dims[0] = count;
        for (int d = 0; d < input.Rank; d++) dims[d + 1] = input[d];
        return new TensorShape(dims);
    }

    public void Dispose()
    {
        _images.Dispose();
        _probabilities.Dispose();
    }
}
