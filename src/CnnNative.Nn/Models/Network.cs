using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// A network on one provider: layers (built in code or from a <see cref="ModelSpec"/>) run in
/// order up to the class scores, followed by a loss (<see cref="LossFunction"/>; default the
/// seed's <see cref="SoftmaxWithLoss"/>). A training step is
/// <see cref="TrainStep"/> — <c>Forward(x, true) → Loss(labels) → Backward() → optimizer.Step()
/// → TrainingStep++</c> — all on the provider; only <see cref="ReadLoss"/> and
/// <see cref="ReadCorrect"/> download a number, when the caller asks.
/// <para>Weights are drawn from (seed, parameter index), so the same model and seed give the
/// same network on every provider. Each forward passes every layer a <see cref="StepContext"/>
/// (training flag, <see cref="TrainingStep"/>, <see cref="Seed"/>); dropout masks are keyed by
/// it and the layer's <see cref="Layer.Index"/>.</para>
/// </summary>
public sealed class Network : IDisposable
{
    private readonly Layer[] _layers;
    private readonly Parameter[] _parameters;
    private readonly NamedTensor[] _buffers;
    private readonly LossFunction _loss;
    private readonly Tensor _correct;
    private readonly float[] _hostScalar = new float[1];
    private Tensor? _scores;
    private bool _disposed;

    private Network(Layer[] layers, ModelSpec spec, ModelSummary summary, ulong seed, LossFunction? loss)
    {
        _layers = layers;
        Spec = spec;
        Summary = summary;
        Provider = layers[0].Provider;
        Seed = seed;
        _loss = loss ?? spec.Loss?.Create() ?? new SoftmaxWithLoss();
        try
        {
            _loss.Bind(Provider, Classes);
            _correct = Provider.Allocate(new TensorShape(1));
        }
        catch
        {
            _loss.Dispose();
            foreach (var layer in layers) layer.Dispose();
            throw;
        }

        int index = 0;
        foreach (var layer in AllLayers()) layer.Index = index++;
        var parameters = new List<Parameter>();
        var buffers = new List<NamedTensor>();
        var defaultInit = spec.DefaultInit;
        foreach (var layer in _layers)
        {
            foreach (var p in layer.Parameters)
            {
                WeightInitializer.Initialize(p, p.Owner.Init ?? defaultInit, seed, parameters.Count);
                parameters.Add(p);
            }
            buffers.AddRange(layer.Buffers);
        }
        _parameters = [.. parameters];
        _buffers = [.. buffers];
        // Nobody needs dL/d(input) in training; skipping it saves the first layer's col2im.
        _layers[0].PropagatesGradient = false;
    }

    /// <summary>
    /// A network of <paramref name="layers"/> (built in code, each accepting the previous one's
    /// output, all on one provider), whose last layer gives the class scores. Parameters are
    /// initialised from <paramref name="seed"/>: weights with their layer's <see cref="Layer.Init"/>,
    /// else <paramref name="init"/> (default: the book's 0.01·N(0, 1)). The network owns the layers.
    /// <see cref="Spec"/> is made from each layer's <see cref="Layer.Spec"/>, so a checkpoint of it
    /// can be loaded when every type is built in or registered. <paramref name="loss"/> (default:
    /// the seed's softmax cross-entropy) must be new: the network binds and owns it.
    /// </summary>
    public Network(IEnumerable<Layer> layers, ulong seed = 0, WeightInit? init = null, string? name = null, LossFunction? loss = null)
        : this(CheckLayers(layers), seed, init, name, loss)
    {
    }

    private Network(Layer[] layers, ulong seed, WeightInit? init, string? name, LossFunction? loss)
        : this(layers, SpecOf(layers, init, name, loss), new ModelSummary(layers), seed, loss)
    {
    }

    private static Layer[] CheckLayers(IEnumerable<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var array = layers.ToArray();
        if (array.Length == 0) throw new InvalidModelException("A network needs at least one layer.");
        foreach (var layer in array)
        {
            ArgumentNullException.ThrowIfNull(layer, nameof(layers));
            if (layer.Parent is not null)
                throw new ArgumentException($"Layer '{layer.Path}' is already part of a block; a layer can be used in one place only.", nameof(layers));
            if (!ReferenceEquals(layer.Provider, array[0].Provider))
                throw new ArgumentException($"Layer '{layer.Name}' lives on provider '{layer.Provider.Name}', but '{array[0].Name}' on '{array[0].Provider.Name}'; build all layers on one provider.", nameof(layers));
        }
        if (array[0].InputShape.Rank is not (1 or 3))
            throw new InvalidModelException($"The input shape must be [channels, height, width] or [features], got {array[0].InputShape}.");
        LayerChain.CheckConnected(array, "The network");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in array)
            if (!names.Add(layer.Name))
                throw new InvalidModelException($"The network has two layers named '{layer.Name}'; names must be unique (they prefix parameter names).");
        return array;
    }

    private static ModelSpec SpecOf(Layer[] layers, WeightInit? init, string? name, LossFunction? loss) => new()
    {
        Name = name,
        Init = init,
        Loss = loss is null or SoftmaxWithLoss { LabelSmoothing: 0 } ? null : loss.Spec,
        Input = [.. layers[0].InputShape.Dimensions],
        Classes = layers[^1].OutputShape.Length,
        Layers = [.. layers.Select(l => l.Spec)],
    };

    /// <summary>
    /// Validates <paramref name="spec"/> for samples of shape <paramref name="inputShape"/> ([C, H, W] or [D])
    /// and <paramref name="classes"/> classes, then allocates and initialises the network on <paramref name="provider"/>.
    /// Types registered in code are looked up in <paramref name="registry"/> (default <see cref="LayerRegistry.Default"/>).
    /// </summary>
    public static Network Build(ModelSpec spec, TensorShape inputShape, int classes, IComputeProvider provider, ulong seed = 0,
        LayerRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(provider);
        var summary = spec.Validate(inputShape, classes, registry);
        var layers = LayerFactory.CreateAll(ExecutionOrder.Of(summary.Plans), provider);
        return new Network(layers, spec.For(inputShape, classes), summary, seed, loss: null);
    }

    /// <summary>Builds from a spec that carries its <see cref="ModelSpec.Input"/> and <see cref="ModelSpec.Classes"/> (as a checkpoint's does).</summary>
    public static Network Build(ModelSpec spec, IComputeProvider provider, ulong seed = 0, LayerRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Input is null || spec.Classes is null)
            throw new InvalidModelException("The model does not say its input shape and class count; pass them to Network.Build.");
        return Build(spec, new TensorShape(spec.Input), spec.Classes.Value, provider, seed, registry);
    }

    /// <summary>The spec with <see cref="ModelSpec.Input"/> and <see cref="ModelSpec.Classes"/> filled in — what a checkpoint stores.</summary>
    public ModelSpec Spec { get; }

    /// <summary>Each top-level layer's shapes and parameter count.</summary>
    public ModelSummary Summary { get; }

    /// <summary>The provider every tensor of the network lives on.</summary>
    public IComputeProvider Provider { get; }

    /// <summary>The seed of the initial weights and of every random draw in training (dropout masks).</summary>
    public ulong Seed { get; }

    /// <summary>Shape of one input sample.</summary>
    public TensorShape InputShape => _layers[0].InputShape;

    /// <summary>The number of class scores the last layer produces.</summary>
    public int Classes => _layers[^1].OutputShape.Length;

    /// <summary>The top-level layers in the order they run: for a model file, the file's order, except that a ReLU directly before a max-pool runs after it (same values and gradients, a quarter of the work).</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Every layer, depth first: each block before its inner layers (the order of <see cref="Layer.Index"/>).</summary>
    public IEnumerable<Layer> AllLayers()
    {
        var stack = new Stack<Layer>(_layers.Reverse());
        while (stack.Count > 0)
        {
            var layer = stack.Pop();
            yield return layer;
            for (int i = layer.Children.Count - 1; i >= 0; i--) stack.Push(layer.Children[i]);
        }
    }

    /// <summary>Every trainable parameter, layer by layer (the order weights were drawn in and optimizers see).</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Non-trainable persistent tensors (batch-norm running statistics).</summary>
    public IReadOnlyList<NamedTensor> Buffers => _buffers;

    /// <summary>The training step whose dropout masks the next training forward draws; <see cref="TrainStep"/> advances it. A checkpoint saves it.</summary>
    public long TrainingStep { get; set; }

    /// <summary>Whether <see cref="Backward"/> returns dL/d(input) (off by default: training does not need it).</summary>
    public bool PropagatesToInput
    {
        get => _layers[0].PropagatesGradient;
        set => _layers[0].PropagatesGradient = value;
    }

    /// <summary>The loss after the scores (its loss tensor; a <see cref="SoftmaxWithLoss"/> also its probabilities).</summary>
    public LossFunction LossLayer => _loss;

    /// <summary>Class scores of the last forward, [N, classes]; null before the first.</summary>
    public Tensor? Scores => _scores;

    /// <summary>
    /// Whether inference runs a convolution → batch-norm (→ ReLU) sequence as one fused provider
    /// operation (default true; see <see cref="StepContext.KeepLayerOutputs"/>). Turn it off to read
    /// every layer's own <see cref="Layer.Output"/> after a prediction.
    /// </summary>
    public bool FusesInference { get; set; } = true;

    /// <summary>Runs every layer; returns the class scores [N, classes] (owned by the network, valid until the next forward).</summary>
    public Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        _scores = LayerChain.Forward(_layers, x, new StepContext(training, TrainingStep, Seed) { KeepLayerOutputs = !FusesInference });
        return _scores;
    }

    /// <summary>Inference-mode forward (running batch-norm statistics, dropout scaled).</summary>
    public Tensor Predict(Tensor x) => Forward(x, training: false);

    /// <summary>The loss (<see cref="LossLayer"/>) of the last forward's scores against <paramref name="labels"/>; a one-element tensor on the provider.</summary>
    public Tensor Loss(Tensor labels)
    {
        var scores = _scores ?? throw new InvalidOperationException("Loss needs a Forward first.");
        return _loss.Forward(scores, labels);
    }

    /// <summary>Downloads the last loss value.</summary>
    public float ReadLoss() => _loss.ReadLoss();

    /// <summary>
    /// Back-propagates the last loss through every layer, filling each parameter's gradient.
    /// Returns dL/d(input) when <see cref="PropagatesToInput"/> is on, else null.
    /// </summary>
    public Tensor? Backward()
    {
        return LayerChain.Backward(_layers, _loss.Backward());
    }

    /// <summary>
    /// One training step: forward (training mode), loss, backward, the gradient reduction when
    /// <paramref name="gradients"/> is given, optimizer update, then <see cref="TrainingStep"/>++.
    /// This is the one definition of a step: the trainer, the benchmarks and <c>cnn bench</c>
    /// all call it. The scores (<see cref="Scores"/>) and the loss (<see cref="LossFunction.Loss"/>)
    /// stay valid afterwards, for callers that count accuracy or sum the loss.
    /// </summary>
    public void TrainStep(Tensor x, Tensor labels, Optimizer optimizer, IGradientReducer? gradients = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Forward(x, training: true);
        Loss(labels);
        Backward();
        // Data-parallel training (issue 11's MPI follow-up) all-reduces the gradients here:
        // after every rank's backward, before any rank's update, so all ranks step alike.
        gradients?.Reduce(_parameters);
        optimizer.Step();
        TrainingStep++;
    }

    // ── accuracy: counted on the provider, downloaded once ────────────────────────────────

    /// <summary>Sets the correct-prediction counter to zero.</summary>
    public void ResetCorrect() => Provider.Fill(_correct, 0f);

    /// <summary>Adds the number of samples of the last forward whose top score is their label.</summary>
    public void CountCorrect(Tensor labels)
    {
        var scores = _scores ?? throw new InvalidOperationException("CountCorrect needs a Forward first.");
        Provider.CountCorrect(_loss.AsMatrix(scores), labels, _correct);
    }

    /// <summary>Adds the number of samples of the last forward whose top score is their label to a counter of the caller's.</summary>
    public void CountCorrect(Tensor labels, Tensor counter)
    {
        var scores = _scores ?? throw new InvalidOperationException("CountCorrect needs a Forward first.");
        Provider.CountCorrect(_loss.AsMatrix(scores), labels, counter);
    }

    /// <summary>Downloads the counter (exact up to 2²⁴ samples, since it is stored as a float).</summary>
    public long ReadCorrect()
    {
        Provider.Download(_correct, _hostScalar);
        return (long)_hostScalar[0];
    }

    /// <summary>Accuracy of one batch in inference mode (resets the counter).</summary>
    public double Accuracy(Tensor x, Tensor labels)
    {
        var scores = Predict(x);
        ResetCorrect();
        CountCorrect(labels);
        return ReadCorrect() / (double)scores.Shape[0];
    }

    // ── named access for checkpoints and reports ──────────────────────────────────────────

    /// <summary>Every tensor that defines the trained model: parameter values, then buffers, each with its stable name.</summary>
    public IEnumerable<NamedTensor> NamedTensors()
    {
        foreach (var p in _parameters) yield return new NamedTensor(p.Name, p.Value);
        foreach (var b in _buffers) yield return b;
    }

    /// <summary>The parameter value or buffer called <paramref name="name"/> ("conv1.W", "batchnorm1.running_mean").</summary>
    public Tensor GetTensor(string name)
    {
        foreach (var t in NamedTensors())
            if (t.Name == name) return t.Tensor;
        throw new KeyNotFoundException($"The model has no tensor named '{name}'. Its tensors: {string.Join(", ", NamedTensors().Select(t => t.Name))}.");
    }

    /// <summary>The layer whose <see cref="Layer.Path"/> is <paramref name="name"/> ("conv1", "stage1.block1.conv1").</summary>
    public Layer GetLayer(string name)
    {
        foreach (var layer in AllLayers())
            if (layer.Path == name) return layer;
        throw new KeyNotFoundException($"The model has no layer named '{name}'. Its layers: {string.Join(", ", AllLayers().Select(l => l.Path))}.");
    }

    /// <summary>The first layer of type <typeparamref name="T"/>, depth first (for example the first convolution, for a report), or null.</summary>
    public T? FirstLayer<T>() where T : Layer
    {
        foreach (var layer in AllLayers())
            if (layer is T match) return match;
        return null;
    }

    /// <summary>Frees every layer and tensor of the network.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var layer in _layers) layer.Dispose();
        _loss.Dispose();
        _correct.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Spec.Name ?? "model"} on {Provider.Name}: {Summary.TotalParameters:N0} parameters";
}
