using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// Mean squared error against one-hot targets, as the book's mean_squared_error but averaged
/// over the batch: loss = 1/(2N)·Σ_n Σ_k (score − onehot)², dL/dscore = (score − onehot)/N. The
/// scores are used as they are (no softmax). Computed from existing contract operations
/// (the cross-entropy backward of the raw scores is exactly (score − onehot)/N), so every
/// provider supports it. In a model file: <c>"loss": { "type": "mse" }</c>.
/// </summary>
public sealed class MeanSquaredError : LossFunction
{
    private BatchTensor? _difference;
    private BatchTensor? _squares;

    /// <summary>The model-file name.</summary>
    public const string Name = "mse";

    /// <inheritdoc/>
    public override string Type => Name;

    /// <inheritdoc/>
    protected override void OnBind()
    {
        _difference = PerSample();
        _squares = PerSample();
    }

    /// <inheritdoc/>
    protected override void ForwardCore(Tensor scores, Tensor labels, int batch, Tensor loss)
    {
        var p = Provider!;
        var d = _difference!.For(batch);
        var squares = _squares!.For(batch);
        p.SoftmaxCrossEntropyBackward(scores, labels, d);   // (score − onehot)/N
        p.Multiply(d, d, squares);
        p.SumRows(squares, loss);                           // Σ (score − onehot)²/N², all N·K as one column
        p.Scale(loss, batch / 2f, loss);
    }

    /// <inheritdoc/>
    protected override void BackwardCore(Tensor scores, Tensor labels, int batch, Tensor dScores) =>
        Provider!.SoftmaxCrossEntropyBackward(scores, labels, dScores);

    /// <inheritdoc/>
    protected internal override double HostValue(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, int batch)
    {
        int k = Classes;
        double sum = 0;
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < k; c++)
            {
                double e = scores[n * k + c] - (c == (int)labels[n] ? 1 : 0);
                sum += e * e;
            }
        return sum / (2.0 * batch);
    }
}
