using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// A sequential network built from a <see cref="ModelSpec"/> on one provider, ending in the
/// seed's SoftmaxWithLoss. A training step is
/// <c>Forward(x, true) → Loss(labels) → Backward() → optimizer.Step()</c> (or
/// <see cref="TrainStep"/>), all on the provider; only <see cref="ReadLoss"/> and
/// <see cref="ReadCorrect"/> download a number, when the caller asks.
/// <para>Weights are drawn from (seed, parameter index), so the same spec and seed give the
/// same network on every provider. Dropout masks are keyed by (seed, <see cref="TrainingStep"/>,
/// layer index).</para>
/// </summary>
public sealed class Network : IDisposable
{
    private readonly Layer[] _layers;
    private readonly Dropout[] _dropouts;
    private readonly Parameter[] _parameters;
    private readonly NamedTensor[] _buffers;
    private readonly SoftmaxWithLoss _loss;
    private readonly Tensor _correct;
    private readonly float[] _hostScalar = new float[1];
    private Tensor? _scores;
    private bool _disposed;

    private Network(ModelSpec spec, ModelSummary summary, IComputeProvider provider, ulong seed)
    {
        Spec = spec;
        Summary = summary;
        Provider = provider;
        Seed = seed;
        var plans = ExecutionOrder.Of(summary.Plans);
        var layers = new List<Layer>(plans.Count);
        try
        {
            foreach (var plan in plans) layers.Add(LayerFactory.Create(plan, provider));
            _layers = [.. layers];
            _loss = new SoftmaxWithLoss(provider, Classes);
            _correct = provider.Allocate(new TensorShape(1));
        }
        catch
        {
            foreach (var layer in layers) layer.Dispose();
            throw;
        }

        var dropouts = new List<Dropout>();
        var parameters = new List<Parameter>();
        var buffers = new List<NamedTensor>();
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is Dropout d)
            {
                d.Seed = seed;
                d.Index = i;
                dropouts.Add(d);
            }
            foreach (var p in _layers[i].Parameters)
            {
                WeightInitializer.Initialize(p, plans[i].Init, seed, parameters.Count);
                parameters.Add(p);
            }
            buffers.AddRange(_layers[i].Buffers);
        }
        _dropouts = [.. dropouts];
        _parameters = [.. parameters];
        _buffers = [.. buffers];
        // Nobody needs dL/d(input) in training; skipping it saves the first layer's col2im.
        _layers[0].PropagatesGradient = false;
    }

    /// <summary>
    /// Validates <paramref name="spec"/> for samples of shape <paramref name="inputShape"/> ([C, H, W] or [D])
    /// and <paramref name="classes"/> classes, then allocates and initialises the network on <paramref name="provider"/>.
    /// </summary>
    public static Network Build(ModelSpec spec, TensorShape inputShape, int classes, IComputeProvider provider, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(provider);
        var summary = spec.Validate(inputShape, classes);
        return new Network(spec.For(inputShape, classes), summary, provider, seed);
    }

    /// <summary>Builds from a spec that carries its <see cref="ModelSpec.Input"/> and <see cref="ModelSpec.Classes"/> (as a checkpoint's does).</summary>
    public static Network Build(ModelSpec spec, IComputeProvider provider, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Input is null || spec.Classes is null)
            throw new InvalidModelException("The model does not say its input shape and class count; pass them to Network.Build.");
        return Build(spec, new TensorShape(spec.Input), spec.Classes.Value, provider, seed);
    }

    /// <summary>The spec with <see cref="ModelSpec.Input"/> and <see cref="ModelSpec.Classes"/> filled in — what a checkpoint stores.</summary>
    public ModelSpec Spec { get; }

    public ModelSummary Summary { get; }

    public IComputeProvider Provider { get; }

    public ulong Seed { get; }

    /// <summary>Shape of one input sample.</summary>
    public TensorShape InputShape => _layers[0].InputShape;

    public int Classes => Summary.OutputShape.Length;

    /// <summary>The layers in the order they run: the model's, except that a ReLU directly before a max-pool runs after it (same values and gradients, a quarter of the work).</summary>
    public IReadOnlyList<Layer> Layers => _layers;

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

    /// <summary>The loss layer (its probabilities and loss tensor).</summary>
    public SoftmaxWithLoss LossLayer => _loss;

    /// <summary>Class scores of the last forward, [N, classes]; null before the first.</summary>
    public Tensor? Scores => _scores;

    /// <summary>Runs every layer; returns the class scores [N, classes] (owned by the network, valid until the next forward).</summary>
    public Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        var dropouts = _dropouts;
        for (int i = 0; i < dropouts.Length; i++) dropouts[i].Step = TrainingStep;
        var layers = _layers;
        for (int i = 0; i < layers.Length; i++) x = layers[i].Forward(x, training);
        _scores = x;
        return x;
    }

    /// <summary>Inference-mode forward (running batch-norm statistics, dropout scaled).</summary>
    public Tensor Predict(Tensor x) => Forward(x, training: false);

    /// <summary>The mean softmax cross-entropy of the last forward's scores against <paramref name="labels"/>; a one-element tensor on the provider.</summary>
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
        Tensor? dy = _loss.Backward();
        var layers = _layers;
        for (int i = layers.Length - 1; i >= 0 && dy is not null; i--) dy = layers[i].Backward(dy);
        return dy;
    }

    /// <summary>
    /// One training step: forward (training mode), loss, backward, the gradient reduction when
    /// <paramref name="gradients"/> is given, optimizer update, then <see cref="TrainingStep"/>++.
    /// This is the one definition of a step: the trainer, the benchmarks and <c>cnn bench</c>
    /// all call it. The scores (<see cref="Scores"/>) and the loss (<see cref="SoftmaxWithLoss.Loss"/>)
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

    /// <summary>The layer called <paramref name="name"/>.</summary>
    public Layer GetLayer(string name)
    {
        foreach (var layer in _layers)
            if (layer.Name == name) return layer;
        throw new KeyNotFoundException($"The model has no layer named '{name}'. Its layers: {string.Join(", ", _layers.Select(l => l.Name))}.");
    }

    /// <summary>The first layer of type <typeparamref name="T"/> (for example the first convolution, for a report), or null.</summary>
    public T? FirstLayer<T>() where T : Layer
    {
        foreach (var layer in _layers)
            if (layer is T match) return match;
        return null;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var layer in _layers) layer.Dispose();
        _loss.Dispose();
        _correct.Dispose();
    }

    public override string ToString() => $"{Spec.Name ?? "model"} on {Provider.Name}: {Summary.TotalParameters:N0} parameters";
}
