using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// One step of a sequential network, as in the seeds: <see cref="Forward"/> caches what
/// <see cref="Backward"/> needs, <see cref="Backward"/> turns dL/dy into dL/dx and fills the
/// parameter gradients. Everything lives on <see cref="Provider"/>; a layer only calls
/// <see cref="IComputeProvider"/> operations and never asks which provider it runs on.
/// <para>Shapes are per sample (<see cref="InputShape"/> [C, H, W] or [D]); tensors passed in
/// and out carry the batch in front. Output and gradient tensors belong to the layer and are
/// reused by the next call with the same batch size — copy them if you need to keep them.</para>
/// </summary>
public abstract class Layer : IDisposable
{
    private readonly List<Parameter> _parameters = [];
    private readonly List<NamedTensor> _buffers = [];
    private readonly List<IDisposable> _owned = [];
    private int _batch;
    private bool _forwardReady;
    private bool _lastTraining;

    protected Layer(IComputeProvider provider, string name, TensorShape inputShape)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A layer needs a non-empty name (it prefixes its parameter names).", nameof(name));
        if (inputShape.Rank == 0)
            throw new InvalidModelException($"Layer '{name}' needs an input shape.");
        Provider = provider;
        Name = name;
        InputShape = inputShape;
    }

    public IComputeProvider Provider { get; }

    /// <summary>Unique within a network; prefixes parameter names ("conv1" → "conv1.W").</summary>
    public string Name { get; }

    /// <summary>The model-file type name: "conv", "affine", "relu", …</summary>
    public abstract string Type { get; }

    /// <summary>Shape of one input sample (without the batch).</summary>
    public TensorShape InputShape { get; }

    /// <summary>Shape of one output sample (without the batch).</summary>
    public TensorShape OutputShape { get; protected init; }

    /// <summary>Trainable tensors, in a fixed order (weights before biases).</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Persistent tensors that are not trained by gradients (batch-norm running statistics); a checkpoint saves them.</summary>
    public IReadOnlyList<NamedTensor> Buffers => _buffers;

    /// <summary>
    /// Whether <see cref="Backward"/> computes dL/dx. A network turns it off for its first
    /// layer, where nobody needs the input gradient (saves a GEMM and a col2im per step).
    /// </summary>
    public bool PropagatesGradient { get; set; } = true;

    /// <summary>The output of the last <see cref="Forward"/> (for example a convolution's feature maps), or null before the first.</summary>
    public Tensor? Output { get; private set; }

    /// <summary>Batch size of the last <see cref="Forward"/>.</summary>
    public int BatchSize => _batch;

    /// <summary>Layers that flatten (Affine, Flatten) accept any input layout with the right number of values per sample.</summary>
    protected virtual bool AcceptsAnyLayout => false;

    /// <summary>y = f(x) for a batch x of shape [N, InputShape…]; <paramref name="training"/> selects dropout masks and batch statistics.</summary>
    public Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        int batch = CheckInput(x);
        var y = ForwardCore(x, batch, training);
        Output = y;
        _batch = batch;
        _lastTraining = training;
        _forwardReady = true;
        return y;
    }

    /// <summary>
    /// dL/dx from dL/dy (shape [N, OutputShape…]) for the batch of the last <see cref="Forward"/>;
    /// fills every parameter's <see cref="Parameter.Gradient"/>. Returns null when
    /// <see cref="PropagatesGradient"/> is off. Each Forward allows one Backward: some layers
    /// reuse forward caches as backward scratch.
    /// </summary>
    public Tensor? Backward(Tensor dy)
    {
        ArgumentNullException.ThrowIfNull(dy);
        if (!_forwardReady)
            throw new InvalidOperationException(
                $"Layer '{Name}': Backward needs a Forward first (and each Forward allows one Backward).");
        if (dy.Shape.Rank == 0 || dy.Shape[0] != _batch || dy.Length != (long)_batch * OutputShape.Length)
            throw new TensorShapeException(
                $"Layer '{Name}': the gradient must have shape [{_batch}, {Dims(OutputShape)}] like the last output, got {dy.Shape}.",
                nameof(dy));
        _forwardReady = false;
        return BackwardCore(dy, _batch, _lastTraining);
    }

    protected abstract Tensor ForwardCore(Tensor x, int batch, bool training);

    protected abstract Tensor? BackwardCore(Tensor dy, int batch, bool training);

    // ── helpers for subclasses ────────────────────────────────────────────────────────────

    /// <summary>Allocates a parameter and its gradient; both are zero until an initialiser runs.</summary>
    protected Parameter AddParameter(string localName, TensorShape shape, ParameterRole role, int fanIn)
    {
        var value = Provider.Allocate(shape);
        var gradient = Provider.Allocate(shape);
        _owned.Add(value);
        _owned.Add(gradient);
        if (role == ParameterRole.Scale) Provider.Fill(value, 1f);
        var parameter = new Parameter(Name + "." + localName, value, gradient, role, fanIn);
        _parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Allocates a persistent non-trainable tensor (zero-filled).</summary>
    protected Tensor AddBuffer(string localName, TensorShape shape)
    {
        var tensor = Provider.Allocate(shape);
        _owned.Add(tensor);
        _buffers.Add(new NamedTensor(Name + "." + localName, tensor));
        return tensor;
    }

    /// <summary>A fixed-size working tensor owned (and disposed) by this layer.</summary>
    protected Tensor Scratch(TensorShape shape) => Own(Provider.Allocate(shape));

    /// <summary>A batch-sized tensor [N, sample…] owned (and disposed) by this layer.</summary>
    private protected BatchTensor PerSample(TensorShape sample) => Own(BatchTensor.PerSample(Provider, sample));

    /// <summary>A batch-sized tensor [N·rowsPerSample, trailing…] owned by this layer.</summary>
    private protected BatchTensor Rows(int rowsPerSample, params int[] trailing) => Own(new BatchTensor(Provider, rowsPerSample, trailing));

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Formats a shape as "1, 28, 28" for messages.</summary>
    protected static string Dims(TensorShape shape) => string.Join(", ", shape.Dimensions);

    private int CheckInput(Tensor x)
    {
        if (x.Shape.Rank < 1 || x.Length % InputShape.Length != 0)
            throw InputError(x);
        int batch = x.Shape[0];
        if ((long)batch * InputShape.Length != x.Length) throw InputError(x);
        if (!AcceptsAnyLayout)
        {
            if (x.Shape.Rank != InputShape.Rank + 1) throw InputError(x);
            for (int d = 0; d < InputShape.Rank; d++)
                if (x.Shape[d + 1] != InputShape[d]) throw InputError(x);
        }
        return batch;
    }

    private TensorShapeException InputError(Tensor x) =>
        new($"Layer '{Name}' ({Type}) expects input of shape [N, {Dims(InputShape)}] ({InputShape.Length} values per sample), got {x.Shape}.",
            "x");

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
        Output = null;
        _forwardReady = false;
        GC.SuppressFinalize(this);
    }

    public override string ToString() => $"{Name} ({Type}) {InputShape} → {OutputShape}";
}
