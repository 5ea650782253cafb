using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// The seed's SoftmaxWithLoss, the default loss: probabilities = softmax(scores), loss = mean
/// cross-entropy with the 1e-7 inside the log; backward (probabilities − target) / N.
/// <para>With label smoothing ε the target is (1 − ε)·onehot + ε/K, so the loss becomes
/// CE + ε/N·Σ(onehot − 1/K)·scores — the same cross-entropy plus a linear term, since
/// −Σ_k log p_k / K = log-sum-exp − mean score — and the gradient gains ε/N·(onehot − 1/K).
/// Both are computed from existing contract operations, so every provider supports it.</para>
/// </summary>
public sealed class SoftmaxWithLoss : LossFunction
{
    private BatchTensor? _probs;
    private BatchTensor? _zeros;
    private BatchTensor? _shift;
    private BatchTensor? _product;
    private Tensor? _linear;

    /// <summary>A cross-entropy loss with label smoothing <paramref name="labelSmoothing"/> in [0, 1) (0: the seed's form); a network binds it.</summary>
    public SoftmaxWithLoss(float labelSmoothing = 0f)
    {
        CheckSmoothing(labelSmoothing);
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>A loss already bound to <paramref name="provider"/> for <paramref name="classes"/> classes (for use without a network).</summary>
    public SoftmaxWithLoss(IComputeProvider provider, int classes, float labelSmoothing = 0f) : this(labelSmoothing) =>
        Bind(provider, classes);

    /// <summary>The model-file name.</summary>
    public const string Name = "softmax-cross-entropy";

    /// <inheritdoc/>
    public override string Type => Name;

    /// <summary>ε: the share of the target spread evenly over the classes.</summary>
    public float LabelSmoothing { get; }

    /// <inheritdoc/>
    public override LossSpec Spec => new() { Type = Type, LabelSmoothing = LabelSmoothing == 0 ? null : LabelSmoothing };

    /// <summary>softmax(scores) of the last forward, [N, classes]; null before the first.</summary>
    public Tensor? Probabilities { get; private set; }

    /// <summary>Rejects a smoothing outside [0, 1).</summary>
    public static void CheckSmoothing(float labelSmoothing)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing < 1f))
            throw new InvalidModelException($"label smoothing must be in [0, 1), got {labelSmoothing}.");
    }

    /// <inheritdoc/>
    protected override void OnBind()
    {
        _probs = PerSample();
        if (LabelSmoothing == 0) return;
        _zeros = PerSample();   // never written: stays zero
        _shift = PerSample();
        _product = PerSample();
        _linear = Scratch(new TensorShape(1));
    }

    /// <inheritdoc/>
    protected override void ForwardCore(Tensor scores, Tensor labels, int batch, Tensor loss)
    {
        var p = Provider!;
        var probs = _probs!.For(batch);
        p.SoftmaxCrossEntropyForward(scores, labels, probs, loss);
        Probabilities = probs;
        if (LabelSmoothing == 0) return;
        // shift = ε/N·(onehot − 1/K): the contract's backward of all-zero "probabilities" is −onehot/N.
        var shift = _shift!.For(batch);
        p.SoftmaxCrossEntropyBackward(_zeros!.For(batch), labels, shift);
        p.Scale(shift, -LabelSmoothing, shift);
        var product = _product!.For(batch);
        p.Fill(product, -LabelSmoothing / ((float)batch * Classes));
        p.Add(shift, product, shift);
        // loss += Σ shift ⊙ scores (the sum of all N·K products as one column).
        p.Multiply(shift, scores, product);
        p.SumRows(product, _linear!);
        p.Axpy(1f, _linear!, loss);
    }

    /// <inheritdoc/>
    protected override void BackwardCore(Tensor scores, Tensor labels, int batch, Tensor dScores)
    {
        var p = Provider!;
        p.SoftmaxCrossEntropyBackward(_probs!.For(batch), labels, dScores);
        if (LabelSmoothing != 0) p.Add(dScores, _shift!.For(batch), dScores);
    }

    /// <inheritdoc/>
    protected internal override double HostValue(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, int batch)
    {
        // The exact −Σ t·log softmax, without the seed's 1e-7, whose derivative the backward does not include.
        int k = Classes;
        double sum = 0;
        for (int n = 0; n < batch; n++)
        {
            var row = scores.Slice(n * k, k);
            double max = double.NegativeInfinity;
            foreach (double v in row) max = Math.Max(max, v);
            double z = 0;
            foreach (double v in row) z += Math.Exp(v - max);
            double logZ = max + Math.Log(z);
            int label = (int)labels[n];
            for (int c = 0; c < k; c++)
            {
                double target = (c == label ? 1 - LabelSmoothing : 0) + LabelSmoothing / k;
                sum -= target * (row[c] - logZ);
            }
        }
        return sum / batch;
    }
}
