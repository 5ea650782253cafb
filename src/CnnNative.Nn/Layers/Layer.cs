using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// A module of a network, built-in or your own: <see cref="Forward(Tensor, StepContext)"/>
/// caches what <see cref="Backward"/> needs, <see cref="Backward"/> turns dL/dy into dL/dx and
/// fills the parameter gradients. Everything lives on <see cref="Provider"/>; a layer only
/// calls <see cref="IComputeProvider"/> operations and never asks which provider it runs on.
/// <para>Shapes are per sample (<see cref="InputShape"/> [C, H, W] or [D]); tensors passed in
/// and out carry the batch in front. Output and gradient tensors belong to the layer and are
/// reused by the next call with the same batch size — copy them if you need to keep them.</para>
/// <para>To write a layer, derive from this class and in the constructor set
/// <see cref="OutputShape"/>, register trainable tensors with <see cref="AddParameter"/>
/// (named, initialised by the network, saved in checkpoints, updated by every optimizer),
/// persistent statistics with <see cref="AddBuffer"/>, batch-sized outputs with
/// <see cref="PerSample"/> and inner layers with <see cref="AddChild{T}"/> (their parameters
/// become yours, named "yourname.childname.W"). Implement <see cref="ForwardCore"/> and
/// <see cref="BackwardCore"/>.</para>
/// </summary>
public abstract class Layer : IDisposable
{
    private readonly List<Parameter> _parameters = [];
    private readonly List<OwnedBuffer> _buffers = [];
    private readonly List<Layer> _children = [];
    private readonly List<IDisposable> _owned = [];
    private int _batch;
    private bool _forwardReady;
    private bool _propagates = true;
    private StepContext _context;

    /// <summary>Starts a layer named <paramref name="name"/> for samples of shape <paramref name="inputShape"/> on <paramref name="provider"/>.</summary>
    protected Layer(IComputeProvider provider, string name, TensorShape inputShape)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A layer needs a non-empty name (it prefixes its parameter names).", nameof(name));
        if (name.Contains('.'))
            throw new ArgumentException($"The layer name '{name}' contains a '.', which separates the parts of parameter names; use '_' or '-'.", nameof(name));
        if (inputShape.Rank == 0)
            throw new InvalidModelException($"Layer '{name}' needs an input shape.");
        Provider = provider;
        Name = name;
        InputShape = inputShape;
    }

    /// <summary>The provider every tensor of this layer lives on.</summary>
    public IComputeProvider Provider { get; }

    /// <summary>Unique among its siblings; prefixes parameter names ("conv1" → "conv1.W").</summary>
    public string Name { get; }

    /// <summary>The full name: the enclosing layers' names and this one's, joined by dots ("stage1.block1.conv1").</summary>
    public string Path => Parent is null ? Name : Parent.Path + "." + Name;

    /// <summary>The layer this one is part of (a residual block, a sequence), or null at the top of a network.</summary>
    public Layer? Parent { get; private set; }

    /// <summary>The layers registered with <see cref="AddChild{T}"/>, in registration order.</summary>
    public IReadOnlyList<Layer> Children => _children;

    /// <summary>The model-file type name: "conv", "affine", "relu", … (a registered name for your own layers).</summary>
    public abstract string Type { get; }

    /// <summary>Shape of one input sample (without the batch).</summary>
    public TensorShape InputShape { get; }

    /// <summary>Shape of one output sample (without the batch); set it in the constructor.</summary>
    public TensorShape OutputShape { get; protected init; }

    /// <summary>The weight initialisation for this layer's weights; null takes the network's default.</summary>
    public WeightInit? Init { get; init; }

    /// <summary>
    /// This layer's position in its network's depth-first order, set by the network; it keys
    /// the layer's random streams (<see cref="StepContext.StreamFor(Layer)"/>).
    /// </summary>
    public int Index { get; set; }

    /// <summary>Trainable tensors, this layer's own then its children's, in a fixed order (weights before biases).</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Persistent tensors that are not trained by gradients (batch-norm running statistics), with their full names; a checkpoint saves them.</summary>
    public IReadOnlyList<NamedTensor> Buffers
    {
        get
        {
            var named = new NamedTensor[_buffers.Count];
            for (int i = 0; i < named.Length; i++) named[i] = _buffers[i].Named();
            return named;
        }
    }

    /// <summary>
    /// Whether <see cref="Backward"/> computes dL/dx. A network turns it off for its first
    /// layer, where nobody needs the input gradient (saves a GEMM and a col2im per step).
    /// </summary>
    public bool PropagatesGradient
    {
        get => _propagates;
        set
        {
            _propagates = value;
            OnPropagatesGradientChanged(value);
        }
    }

    /// <summary>The output of the last forward (for example a convolution's feature maps), or null before the first.</summary>
    public Tensor? Output { get; private set; }

    /// <summary>Batch size of the last forward.</summary>
    public int BatchSize => _batch;

    /// <summary>Layers that flatten (Affine, Flatten) accept any input layout with the right number of values per sample.</summary>
    protected virtual bool AcceptsAnyLayout => false;

    /// <summary>How this layer is written in a model file; override to add your settings (the default has only type and name).</summary>
    public virtual LayerSpec Spec => new() { Type = Type, Name = Name };

    /// <summary>y = f(x) for a batch x of shape [N, InputShape…] in the step <paramref name="context"/> describes.</summary>
    public Tensor Forward(Tensor x, StepContext context)
    {
        ArgumentNullException.ThrowIfNull(x);
        int batch = CheckInput(x);
        var y = ForwardCore(x, batch, context);
        Output = y;
        _batch = batch;
        _context = context;
        _forwardReady = true;
        return y;
    }

    /// <summary>Forward outside a network: training step 0 with seed 0 when <paramref name="training"/>, else inference.</summary>
    public Tensor Forward(Tensor x, bool training) => Forward(x, training ? StepContext.Train(0) : StepContext.Inference);

    /// <summary>
    /// dL/dx from dL/dy (shape [N, OutputShape…]) for the batch of the last forward;
    /// fills every parameter's <see cref="Parameter.Gradient"/>. Returns null when
    /// <see cref="PropagatesGradient"/> is off. Each forward allows one Backward: some layers
    /// reuse forward caches as backward scratch.
    /// </summary>
    public Tensor? Backward(Tensor dy)
    {
        ArgumentNullException.ThrowIfNull(dy);
        if (!_forwardReady)
            throw new InvalidOperationException(
                $"Layer '{Path}': Backward needs a Forward first (and each Forward allows one Backward).");
        if (dy.Shape.Rank == 0 || dy.Shape[0] != _batch || dy.Length != (long)_batch * OutputShape.Length)
            throw new TensorShapeException(
                $"Layer '{Path}': the gradient must have shape [{_batch}, {Dims(OutputShape)}] like the last output, got {dy.Shape}.",
                nameof(dy));
        _forwardReady = false;
        return BackwardCore(dy, _batch, _context);
    }

    /// <summary>Computes the output for a checked input of <paramref name="batch"/> samples.</summary>
    protected abstract Tensor ForwardCore(Tensor x, int batch, StepContext context);

    /// <summary>Computes dL/dx (or null when <see cref="PropagatesGradient"/> is off) and the parameter gradients; <paramref name="context"/> is the forward's.</summary>
    protected abstract Tensor? BackwardCore(Tensor dy, int batch, StepContext context);

    /// <summary>Called when <see cref="PropagatesGradient"/> changes; a container passes it on to its first inner layer.</summary>
    protected virtual void OnPropagatesGradientChanged(bool propagates) { }

    // ── helpers for subclasses ────────────────────────────────────────────────────────────

    /// <summary>
    /// Allocates a parameter and its gradient, named "&lt;layer&gt;.<paramref name="localName"/>".
    /// The network initialises it by <paramref name="role"/> (weights drawn with <see cref="Init"/>
    /// scaled by <paramref name="fanIn"/>, biases 0, scales 1); until then a weight is zero.
    /// </summary>
    protected Parameter AddParameter(string localName, TensorShape shape, ParameterRole role, int fanIn)
    {
        CheckLocalName(localName);
        var value = Own(Provider.Allocate(shape));
        var gradient = Own(Provider.Allocate(shape));
        if (role == ParameterRole.Scale) Provider.Fill(value, 1f);
        var parameter = new Parameter(this, localName, value, gradient, role, fanIn);
        _parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Allocates a persistent non-trainable tensor (zero-filled) named "&lt;layer&gt;.<paramref name="localName"/>".</summary>
    protected Tensor AddBuffer(string localName, TensorShape shape)
    {
        CheckLocalName(localName);
        var tensor = Own(Provider.Allocate(shape));
        _buffers.Add(new OwnedBuffer(this, localName, tensor));
        return tensor;
    }

    /// <summary>
    /// Makes <paramref name="child"/> part of this layer: its parameters and buffers become this
    /// layer's (named "&lt;this&gt;.&lt;child&gt;.W"), it is disposed with this layer, and the network
    /// numbers it. Call it in the constructor, after the child is complete; names must be unique
    /// among the children.
    /// </summary>
    protected T AddChild<T>(T child) where T : Layer
    {
        ArgumentNullException.ThrowIfNull(child);
        if (!ReferenceEquals(child.Provider, Provider))
            throw new ArgumentException($"Layer '{child.Name}' lives on provider '{child.Provider.Name}', but '{Name}' on '{Provider.Name}'; build both on one provider.", nameof(child));
        if (child.Parent is not null || ReferenceEquals(child, this))
            throw new ArgumentException($"Layer '{child.Name}' is already part of '{child.Parent?.Path ?? Name}'; a layer can be used in one place only.", nameof(child));
        foreach (var sibling in _children)
            if (sibling.Name == child.Name)
                throw new InvalidModelException($"Layer '{Path}' has two inner layers named '{child.Name}'; names must be unique within a block.");
        child.Parent = this;
        _children.Add(child);
        _parameters.AddRange(child._parameters);
        _buffers.AddRange(child._buffers);
        _owned.Add(child);
        return child;
    }

    /// <summary>A fixed-size working tensor owned (and disposed) by this layer.</summary>
    protected Tensor Scratch(TensorShape shape) => Own(Provider.Allocate(shape));

    /// <summary>A batch-sized tensor [N, sample…] owned (and disposed) by this layer: <c>PerSample(shape).For(batch)</c> in each call.</summary>
    protected BatchTensor PerSample(TensorShape sample) => Own(BatchTensor.PerSample(Provider, sample));

    /// <summary>A batch-sized tensor [N·rowsPerSample, trailing…] owned by this layer.</summary>
    protected BatchTensor Rows(int rowsPerSample, params int[] trailing) => Own(new BatchTensor(Provider, rowsPerSample, trailing));

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Formats a shape as "1, 28, 28" for messages.</summary>
    protected static string Dims(TensorShape shape) => string.Join(", ", shape.Dimensions);

    private void CheckLocalName(string localName)
    {
        if (string.IsNullOrWhiteSpace(localName) || localName.Contains('.'))
            throw new ArgumentException($"Layer '{Name}': a parameter or buffer needs a non-empty name without '.', got '{localName}'.", nameof(localName));
        foreach (var p in _parameters)
            if (p.Owner == this && p.LocalName == localName) throw Duplicate(localName);
        foreach (var b in _buffers)
            if (b.Owner == this && b.LocalName == localName) throw Duplicate(localName);
    }

    private ArgumentException Duplicate(string localName) =>
        new($"Layer '{Name}' already has a tensor named '{localName}'.", nameof(localName));

    /// <summary>Whether a sample of shape <paramref name="shape"/> fits this layer's input (what a container checks when it chains layers).</summary>
    public bool Accepts(TensorShape shape) =>
        AcceptsAnyLayout ? shape.Length == InputShape.Length : shape.Equals(InputShape);

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
        new($"Layer '{Path}' ({Type}) expects input of shape [N, {Dims(InputShape)}] ({InputShape.Length} values per sample), got {x.Shape}.",
            "x");

    /// <summary>Frees every tensor and inner layer this layer owns.</summary>
    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
        Output = null;
        _forwardReady = false;
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Path} ({Type}) {InputShape} → {OutputShape}";

    private readonly record struct OwnedBuffer(Layer Owner, string LocalName, Tensor Tensor)
    {
        public NamedTensor Named() => new(Owner.Path + "." + LocalName, Tensor);
    }
}
