using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// The seed's SoftmaxWithLoss: probabilities = softmax(scores), loss = mean cross-entropy
/// with the 1e-7 inside the log; backward (probabilities − onehot(labels)) / N. The loss stays
/// on the provider as a one-element tensor; <see cref="ReadLoss"/> downloads it when asked.
/// Labels are class indices stored as floats, one per sample.
/// </summary>
public sealed class SoftmaxWithLoss : IDisposable
{
    private readonly IComputeProvider _provider;
    private readonly BatchTensor _probs;
    private readonly BatchTensor _dx;
    private readonly ReshapeCache _scoresView = new();
    private readonly ReshapeCache _dxView = new();
    private readonly Tensor _loss;
    private readonly float[] _lossHost = new float[1];
    private readonly TensorShape _classShape;
    private Tensor? _labels;
    private Tensor? _scores;
    private int _batch;

    public SoftmaxWithLoss(IComputeProvider provider, int classes)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "The class count must be positive.");
        _provider = provider;
        Classes = classes;
        _classShape = new TensorShape(classes);
        _probs = BatchTensor.PerSample(provider, _classShape);
        _dx = BatchTensor.PerSample(provider, _classShape);
        _loss = provider.Allocate(new TensorShape(1));
    }

    public int Classes { get; }

    /// <summary>The last loss, a one-element tensor on the provider.</summary>
    public Tensor Loss => _loss;

    /// <summary>softmax(scores) of the last forward, [N, classes]; null before the first.</summary>
    public Tensor? Probabilities { get; private set; }

    /// <summary>Computes the mean loss of <paramref name="scores"/> [N, classes…] against <paramref name="labels"/> (at least N values).</summary>
    public Tensor Forward(Tensor scores, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        int batch = scores.Shape[0];
        if ((long)batch * Classes != scores.Length)
            throw new TensorShapeException(
                $"The loss expects scores of shape [N, {Classes}], got {scores.Shape}; the model's last layer must produce one value per class.",
                nameof(scores));
        if (labels.Length < batch)
            throw new TensorShapeException($"The loss needs {batch} labels, got a tensor of {labels.Length}.", nameof(labels));
        var matrix = AsMatrix(scores);
        var probs = _probs.For(batch);
        _provider.SoftmaxCrossEntropyForward(matrix, labels, probs, _loss);
        Probabilities = probs;
        _labels = labels;
        _scores = scores;
        _batch = batch;
        return _loss;
    }

    /// <summary>
    /// The scores seen as the [N, classes] matrix the contract's loss and metric operations
    /// (<see cref="IComputeProvider.CountCorrect"/>) need: the tensor itself when it is already
    /// rank 2, else a cached view (no allocation when the same tensor comes again).
    /// </summary>
    public Tensor AsMatrix(Tensor scores) =>
        scores.Shape.Rank == 2 ? scores : _scoresView.Reshape(scores, scores.Shape[0], _classShape);

    /// <summary>dL/dscores = (probabilities − onehot) / N, shaped like the scores of the last forward.</summary>
    public Tensor Backward()
    {
        if (_labels is null || _scores is null)
            throw new InvalidOperationException("SoftmaxWithLoss.Backward needs a Forward first.");
        var dx = _dx.For(_batch);
        _provider.SoftmaxCrossEntropyBackward(_probs.For(_batch), _labels, dx);
        return _scores.Shape.Rank == 2 ? dx : _dxView.ReshapeTo(dx, _scores.Shape);
    }

    /// <summary>Downloads the last loss (the one host transfer a training step makes when the caller wants the number).</summary>
    public float ReadLoss()
    {
        _provider.Download(_loss, _lossHost);
        return _lossHost[0];
    }

    public void Dispose()
    {
        _probs.Dispose();
        _dx.Dispose();
        _loss.Dispose();
    }
}
