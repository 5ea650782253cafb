using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// The loss at the end of a network: from the class scores [N, classes] and the labels (N class
/// indices stored as floats) to a one-element loss tensor, and back to dL/dscores. Everything
/// stays on the provider; <see cref="ReadLoss"/> downloads the number when asked.
/// <para>A loss is created without a provider and bound to its network's provider and class
/// count when the network is built (<see cref="Bind"/>); its batch buffers follow the batch size
/// without allocating in steady state. Built in: <see cref="SoftmaxWithLoss"/> (the default;
/// optional label smoothing) and <see cref="MeanSquaredError"/>. To write one, implement
/// <see cref="ForwardCore"/>, <see cref="BackwardCore"/> and <see cref="HostValue"/> (the same
/// loss in double precision on the host, which gradient checks differentiate).</para>
/// </summary>
public abstract class LossFunction : IDisposable
{
    private readonly ReshapeCache _scoresView = new();
    private readonly ReshapeCache _dxView = new();
    private readonly List<IDisposable> _owned = [];
    private readonly float[] _lossHost = new float[1];
    private TensorShape _classShape;
    private BatchTensor? _dx;
    private Tensor? _loss;
    private Tensor? _labels;
    private Tensor? _scores;
    private int _batch;

    /// <summary>The name a model file uses for this loss ("softmax-cross-entropy", "mse").</summary>
    public abstract string Type { get; }

    /// <summary>How this loss is written in a model file's "loss" entry.</summary>
    public virtual LossSpec Spec => new() { Type = Type };

    /// <summary>The provider it is bound to, or null before <see cref="Bind"/>.</summary>
    public IComputeProvider? Provider { get; private set; }

    /// <summary>The number of class scores per sample (after <see cref="Bind"/>).</summary>
    public int Classes { get; private set; }

    /// <summary>The last loss, a one-element tensor on the provider.</summary>
    public Tensor Loss => _loss ?? throw Unbound();

    /// <summary>
    /// Allocates the loss on <paramref name="provider"/> for <paramref name="classes"/> scores per
    /// sample; a network calls it when it is built. A loss is bound once.
    /// </summary>
    public void Bind(IComputeProvider provider, int classes)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "The class count must be positive.");
        if (Provider is not null)
            throw new InvalidOperationException($"This {Type} loss already belongs to a network; create one loss per network.");
        Provider = provider;
        Classes = classes;
        _classShape = new TensorShape(classes);
        _dx = PerSample();
        _loss = Own(provider.Allocate(new TensorShape(1)));
        OnBind();
    }

    /// <summary>Computes the mean loss of <paramref name="scores"/> [N, classes…] against <paramref name="labels"/> (at least N values).</summary>
    public Tensor Forward(Tensor scores, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var loss = _loss ?? throw Unbound();
        int batch = scores.Shape.Rank == 0 ? 0 : scores.Shape[0];
        if (batch == 0 || (long)batch * Classes != scores.Length)
            throw new TensorShapeException(
                $"The loss expects scores of shape [N, {Classes}], got {scores.Shape}; the model's last layer must produce one value per class.",
                nameof(scores));
        if (labels.Length < batch)
            throw new TensorShapeException($"The loss needs {batch} labels, got a tensor of {labels.Length}.", nameof(labels));
        ForwardCore(AsMatrix(scores), labels, batch, loss);
        _labels = labels;
        _scores = scores;
        _batch = batch;
        return loss;
    }

    /// <summary>dL/dscores, shaped like the scores of the last forward (owned by the loss, reused by the next call).</summary>
    public Tensor Backward()
    {
        if (_labels is null || _scores is null)
            throw new InvalidOperationException($"The {Type} loss's Backward needs a Forward first.");
        var dx = _dx!.For(_batch);
        BackwardCore(AsMatrix(_scores), _labels, _batch, dx);
        return _scores.Shape.Rank == 2 ? dx : _dxView.ReshapeTo(dx, _scores.Shape);
    }

    /// <summary>Downloads the last loss (the one host transfer a training step makes when the caller wants the number).</summary>
    public float ReadLoss()
    {
        (Provider ?? throw Unbound()).Download(Loss, _lossHost);
        return _lossHost[0];
    }

    /// <summary>
    /// The scores seen as the [N, classes] matrix the contract's loss and metric operations
    /// (<see cref="IComputeProvider.CountCorrect"/>) need: the tensor itself when it is already
    /// rank 2, else a cached view (no allocation when the same tensor comes again).
    /// </summary>
    public Tensor AsMatrix(Tensor scores) =>
        scores.Shape.Rank == 2 ? scores : _scoresView.Reshape(scores, scores.Shape[0], _classShape);

    /// <summary>Writes the mean loss of <paramref name="scores"/> ([N, classes]) into <paramref name="loss"/>[0].</summary>
    protected abstract void ForwardCore(Tensor scores, Tensor labels, int batch, Tensor loss);

    /// <summary>Writes dL/dscores ([N, classes]) of the last forward into <paramref name="dScores"/>.</summary>
    protected abstract void BackwardCore(Tensor scores, Tensor labels, int batch, Tensor dScores);

    /// <summary>The loss computed on the host in double precision from downloaded scores and labels; gradient checks differentiate it.</summary>
    protected internal abstract double HostValue(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, int batch);

    /// <summary>Called once by <see cref="Bind"/>: allocate your buffers here (<see cref="PerSample"/>, <see cref="Scratch"/>).</summary>
    protected virtual void OnBind() { }

    /// <summary>A [N, classes] tensor following the batch size, owned by the loss.</summary>
    protected BatchTensor PerSample() => Own(BatchTensor.PerSample(Provider ?? throw Unbound(), _classShape));

    /// <summary>A fixed tensor owned by the loss.</summary>
    protected Tensor Scratch(TensorShape shape) => Own((Provider ?? throw Unbound()).Allocate(shape));

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private InvalidOperationException Unbound() =>
        new($"The {Type} loss is not bound to a provider yet; a network binds it when it is built (or call Bind).");

    /// <summary>Frees the loss's tensors.</summary>
    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
        GC.SuppressFinalize(this);
    }
}
