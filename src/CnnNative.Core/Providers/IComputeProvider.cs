namespace CnnNative.Core;

/// <summary>
/// The compute contract: every operation a training step needs, on tensors that live on this
/// provider, so that a step moves no data to or from the host except the few scalars it
/// reports. All tensors are row-major float32; an integer label is stored as its float value.
/// A tensor may be longer than an operation needs (a buffer sized for the largest batch);
/// an operation reads and writes only the elements its sizes name. Arguments that may share
/// memory are named in each operation; all others must be distinct tensors.
/// Implementations derive from <see cref="ComputeProvider"/>, which validates every call
/// and throws <see cref="TensorShapeException"/>, <see cref="ForeignTensorException"/>,
/// <see cref="TensorOverlapException"/> or <see cref="InvalidGeometryException"/> the same way
/// on every provider.
/// </summary>
public interface IComputeProvider : IDisposable
{
    /// <summary>Short name used in configuration: "managed", "openblas", "opencl".</summary>
    string Name { get; }

    /// <summary>What the provider runs on (device, threads, library version); cheap to read after construction.</summary>
    ProviderInfo Info { get; }

    // ── memory ─────────────────────────────────────────────────────────────────────────────

    /// <summary>A zero-filled tensor on this provider.</summary>
    Tensor Allocate(TensorShape shape);

    /// <summary>Copies <c>src.Length</c> host values into the first elements of <paramref name="dst"/>.</summary>
    void Upload(ReadOnlySpan<float> src, Tensor dst);

    /// <summary>Double-precision upload; providers that compute in float round the values.</summary>
    void Upload(ReadOnlySpan<double> src, Tensor dst);

    /// <summary>Copies the first <c>dst.Length</c> elements of <paramref name="src"/> to the host.</summary>
    void Download(Tensor src, Span<float> dst);

    /// <summary>Double-precision download (exact on a double-precision provider).</summary>
    void Download(Tensor src, Span<double> dst);

    /// <summary>dst[i] = src[i] for i &lt; src.Length.</summary>
    void Copy(Tensor src, Tensor dst);

    /// <summary>x[i] = value for every element of x's shape.</summary>
    void Fill(Tensor x, float value);

    // ── linear algebra ─────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Row-major C = alpha·op(A)·op(B) + beta·C, C is m×n; op(A) is m×k (A stored k×m when
    /// transposed), op(B) is k×n (B stored n×k when transposed). Leading dimensions are the
    /// stored row lengths. When beta is 0, C's old contents are ignored (NaN included).
    /// C must not share memory with A or B.
    /// </summary>
    void Gemm(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /// <summary>
    /// For each of <paramref name="batch"/> matrices: dst[b, j, i] = src[b, i, j], src is
    /// rows×cols. Used to turn the GEMM's [N, H·W, C] result into NCHW and back.
    /// </summary>
    void BatchedTranspose(Tensor src, int batch, int rows, int cols, Tensor dst);

    /// <summary>
    /// dst[b, j, i] = src[b, i, j] + bias[j] for i &lt; rows, j &lt; cols: <see cref="BatchedTranspose"/>
    /// followed by <see cref="AddChannelBias"/> on dst, in one pass. The convolution's forward
    /// epilogue: the GEMM's [N, H·W, C] rows become NCHW with the bias added, reading and writing
    /// the layer's largest tensor once instead of twice.
    /// </summary>
    void BatchedTransposeAddChannelBias(Tensor src, int batch, int rows, int cols, Tensor bias, Tensor dst);

    /// <summary>
    /// dst[b, j, i] = src[b, i, j] and sums[i] = Σ_{b, j} src[b, i, j] for i &lt; rows, j &lt; cols:
    /// <see cref="BatchedTranspose"/> and <see cref="SumChannels"/> of src in one pass. The convolution's
    /// backward prologue: dy [N, C, H·W] becomes the GEMMs' [N·H·W, C] rows and the bias gradient.
    /// </summary>
    void BatchedTransposeSumChannels(Tensor src, int batch, int rows, int cols, Tensor dst, Tensor sums);

    // ── elementwise (all tensors the same length; the output may be any input) ────────────

    /// <summary>c = a + b.</summary>
    void Add(Tensor a, Tensor b, Tensor c);

    /// <summary>c = a ⊙ b.</summary>
    void Multiply(Tensor a, Tensor b, Tensor c);

    /// <summary>y = alpha·x.</summary>
    void Scale(Tensor x, float alpha, Tensor y);

    /// <summary>y += alpha·x.</summary>
    void Axpy(float alpha, Tensor x, Tensor y);

    /// <summary>y = max(x, 0).</summary>
    void ReluForward(Tensor x, Tensor y);

    /// <summary>dx = y &gt; 0 ? dy : 0, where y is the forward output (the seed's mask x ≤ 0 → 0).</summary>
    void ReluBackward(Tensor dy, Tensor y, Tensor dx);

    /// <summary>y = 1 / (1 + exp(−x)).</summary>
    void SigmoidForward(Tensor x, Tensor y);

    /// <summary>dx = dy·(1 − y)·y, where y is the forward output.</summary>
    void SigmoidBackward(Tensor dy, Tensor y, Tensor dx);

    /// <summary>y = tanh(x).</summary>
    void TanhForward(Tensor x, Tensor y);

    /// <summary>dx = dy·(1 − y²), where y is the forward output.</summary>
    void TanhBackward(Tensor dy, Tensor y, Tensor dx);

    /// <summary>y = x &gt; 0 ? x : slope·x, for a slope in [0, 1).</summary>
    void LeakyReluForward(Tensor x, float slope, Tensor y);

    /// <summary>
    /// dx = y &gt; 0 ? dy : slope·dy, where y is the forward output (with slope ≥ 0, y &gt; 0 exactly
    /// where x &gt; 0; x ≤ 0 gets the slope, as the seed's ReLU mask gives x ≤ 0 → 0).
    /// </summary>
    void LeakyReluBackward(Tensor dy, Tensor y, float slope, Tensor dx);

    // ── bias ───────────────────────────────────────────────────────────────────────────────

    /// <summary>In place x[r, j] += bias[j]; x is seen as [rows, bias.Length] with rows = x.Length / bias.Length.</summary>
    void AddRowBias(Tensor x, Tensor bias);

    /// <summary>db[j] = Σ_r dy[r, j]; dy is seen as [rows, db.Length]. The gradient of <see cref="AddRowBias"/>.</summary>
    void SumRows(Tensor dy, Tensor db);

    /// <summary>In place x[n, c, s] += bias[c]; x has shape [N, C, …] with C = bias.Length.</summary>
    void AddChannelBias(Tensor x, Tensor bias);

    /// <summary>db[c] = Σ_{n,s} dy[n, c, s]; dy has shape [N, C, …] with C = db.Length. The gradient of <see cref="AddChannelBias"/>.</summary>
    void SumChannels(Tensor dy, Tensor db);

    // ── convolution and pooling ────────────────────────────────────────────────────────────

    /// <summary>
    /// Unfolds x [N, C, H, W] into the im2col matrix <c>col</c> [N·OH·OW, C·KH·KW]:
    /// row <c>(n·OH + oh)·OW + ow</c>, column <c>(c·KH + kh)·KW + kw</c> holds
    /// <c>x[n, c, oh·SH − PH + kh, ow·SW − PW + kw]</c>, or 0 where that falls in the padding.
    /// <para>This is the one definition of the layout. Why this one: rows are whole patches,
    /// so each image writes a contiguous block (parallel over the batch without false sharing),
    /// and the forward product col·Wᵀ is one GEMM with M = N·OH·OW — the long dimension —
    /// which parallelises over the batch even when K = C·KH·KW and the filter count are tiny
    /// (25 and 30 in SimpleConvNet). The product comes out [N, OH·OW, F]; one
    /// <see cref="BatchedTranspose"/> makes it NCHW.</para>
    /// </summary>
    void Im2Col(Tensor x, in ConvGeometry geometry, Tensor col);

    /// <summary>
    /// The adjoint of <see cref="Im2Col"/>: dx [N, C, H, W] is overwritten with, for each
    /// input element, the sum of every col entry that <see cref="Im2Col"/> copied from it
    /// (overlapping windows accumulate; padding entries are dropped).
    /// </summary>
    void Col2Im(Tensor col, in ConvGeometry geometry, Tensor dx);

    /// <summary>
    /// Whether <see cref="ConvolutionForward"/>, <see cref="ConvolutionWeightGradient"/> and
    /// <see cref="ConvolutionInputGradient"/> beat the layer's own im2col + GEMM path on this
    /// geometry here. The convolution layer asks, and uses them when true; the operations work on
    /// every geometry regardless. The managed provider says yes where it has an algorithm of its
    /// own to choose: small patches at stride 1 (direct: SimpleConvNet's 1→30 5×5 layer, vgg-small's
    /// 1→32 3×3 one) and 3×3 stride-1 layers (Winograd F(2×2, 3×3)), measuring once per geometry
    /// which of its algorithms (im2col + GEMM among them) is fastest.
    /// </summary>
    bool PrefersDirectConvolution(in ConvGeometry geometry);

    /// <summary>
    /// y[n, f, oh, ow] = bias[f] + Σ_{c, kh, kw} weights[f, c, kh, kw] · x[n, c, oh·SH − PH + kh, ow·SW − PW + kw]
    /// (0 in the padding) for f &lt; bias.Length: the convolution computed without an im2col matrix,
    /// equal to <see cref="Im2Col"/> → <see cref="Gemm"/>(col·Wᵀ) → <see cref="BatchedTransposeAddChannelBias"/>.
    /// </summary>
    void ConvolutionForward(Tensor x, in ConvGeometry geometry, Tensor weights, Tensor bias, Tensor y);

    /// <summary>
    /// Inference's convolution → batch normalisation (running statistics, per output channel) →
    /// optional residual addition → optional ReLU as one operation:
    /// y[n, f, …] = act(γ[f]·(conv[n, f, …] − μ[f]) / √(σ²[f] + ε) + β[f] + residual[n, f, …]),
    /// where conv is <see cref="ConvolutionForward"/>'s output (bias included), residual is 0 when
    /// <paramref name="residual"/> is null, and act is max(·, 0) when <paramref name="relu"/>, the
    /// identity otherwise; f &lt; bias.Length. Equal to <see cref="ConvolutionForward"/> →
    /// <see cref="BatchNormForwardInference"/> → <see cref="Add"/> → <see cref="ReluForward"/> on y
    /// (a residual block's last convolution, its sum with the shortcut and the ReLU after the block).
    /// A provider may apply the per-channel scale and shift, the sum and the ReLU in the
    /// convolution's own output pass, so the largest tensor is written once instead of read and
    /// written several times.
    /// </summary>
    void ConvolutionForwardBatchNorm(Tensor x, in ConvGeometry geometry, Tensor weights, Tensor bias,
        Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float epsilon, bool relu, Tensor y, Tensor? residual = null);

    /// <summary>
    /// dWeights[f, c, kh, kw] = Σ_{n, oh, ow} dy[n, f, oh, ow] · x[n, c, oh·SH − PH + kh, ow·SW − PW + kw]
    /// and dBias[f] = Σ_{n, oh, ow} dy[n, f, oh, ow] for f &lt; dBias.Length: the gradients of
    /// <see cref="ConvolutionForward"/> without an im2col matrix (equal to
    /// <see cref="BatchedTransposeSumChannels"/> → <see cref="Gemm"/>(dyTᵀ·col)).
    /// </summary>
    void ConvolutionWeightGradient(Tensor dy, Tensor x, in ConvGeometry geometry, Tensor dWeights, Tensor dBias);

    /// <summary>
    /// dx[n, c, h, w] = Σ dy[n, f, oh, ow] · weights[f, c, kh, kw] over f &lt; <paramref name="filters"/> and
    /// every (oh, ow, kh, kw) with h = oh·SH − PH + kh, w = ow·SW − PW + kw: the input gradient of
    /// <see cref="ConvolutionForward"/>, overwriting dx, equal to <see cref="BatchedTranspose"/>(dy) →
    /// <see cref="Gemm"/>(dyT·W) → <see cref="Col2Im"/>. A provider may compute it with fewer
    /// multiplications (Winograd), at a small cost in rounding.
    /// </summary>
    void ConvolutionInputGradient(Tensor dy, in ConvGeometry geometry, Tensor weights, int filters, Tensor dx);

    /// <summary>
    /// y[n, c, oh, ow] = max over the window of x, padding read as −∞; argmax holds the
    /// winner's position inside the window, <c>kh·PoolWidth + kw</c>, as a float. Ties go to the
    /// first element in window order (row by row).
    /// </summary>
    void MaxPoolForward(Tensor x, in PoolGeometry geometry, Tensor y, Tensor argmax);

    /// <summary>dx is overwritten: each input element receives the sum of dy over the windows whose argmax chose it.</summary>
    void MaxPoolBackward(Tensor dy, Tensor argmax, in PoolGeometry geometry, Tensor dx);

    /// <summary>y = the window's sum divided by PH·PW (padding counts as zeros).</summary>
    void AvgPoolForward(Tensor x, in PoolGeometry geometry, Tensor y);

    /// <summary>dx is overwritten: each input element receives Σ dy/(PH·PW) over the windows that contain it.</summary>
    void AvgPoolBackward(Tensor dy, in PoolGeometry geometry, Tensor dx);

    // ── loss and metrics ───────────────────────────────────────────────────────────────────

    /// <summary>Row-wise softmax: logits and probs are [N, K] (rank-2 shapes). probs may be logits.</summary>
    void Softmax(Tensor logits, Tensor probs);

    /// <summary>
    /// probs = softmax(logits) row-wise; loss[0] = −(1/N)·Σ_n log(probs[n, labels[n]] + 1e-7)
    /// (the seed's cross_entropy_error). logits and probs are [N, K]; labels holds N class
    /// indices in [0, K) as floats; loss has at least one element.
    /// </summary>
    void SoftmaxCrossEntropyForward(Tensor logits, Tensor labels, Tensor probs, Tensor loss);

    /// <summary>dx = (probs − onehot(labels)) / N, the seed's SoftmaxWithLoss.backward with dout = 1. dx may be probs.</summary>
    void SoftmaxCrossEntropyBackward(Tensor probs, Tensor labels, Tensor dx);

    /// <summary>
    /// counter[0] += the number of rows n whose argmax of scores[n, :] (first maximum wins)
    /// equals labels[n]. Accumulates so that a whole evaluation downloads one number.
    /// </summary>
    void CountCorrect(Tensor scores, Tensor labels, Tensor counter);

    // ── batch normalisation (x seen as [Batch, Channels, Spatial]) ─────────────────────────

    /// <summary>
    /// Training mode: per channel μ and biased σ² over Batch·Spatial values;
    /// y = γ·(x − μ)/√(σ² + ε) + β; saveMean = μ, saveInvStd = 1/√(σ² + ε);
    /// running = momentum·running + (1 − momentum)·batch statistic (the seed's update, biased σ²).
    /// </summary>
    void BatchNormForwardTraining(Tensor x, in BatchNormGeometry geometry, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float momentum, float epsilon,
        Tensor y, Tensor saveMean, Tensor saveInvStd);

    /// <summary>Inference mode: y = γ·(x − running mean)/√(running var + ε) + β. y may be x.</summary>
    void BatchNormForwardInference(Tensor x, in BatchNormGeometry geometry, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float epsilon, Tensor y);

    /// <summary>
    /// With x̂ = (x − saveMean)·saveInvStd and M = Batch·Spatial: dβ = Σ dy, dγ = Σ dy·x̂,
    /// dx = γ·saveInvStd/M·(M·dy − dβ − x̂·dγ) (the seed's backward, simplified). dx may be dy.
    /// </summary>
    void BatchNormBackward(Tensor dy, Tensor x, in BatchNormGeometry geometry, Tensor gamma,
        Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dgamma, Tensor dbeta);

    // ── dropout ────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// mask[i] = <see cref="CounterRng.Uniform"/>(<see cref="CounterRng.StreamKey"/>(seed, stream), i) &gt; ratio ? 1 : 0;
    /// y = x ⊙ mask (the seed's non-inverted dropout; inference scales by 1 − ratio). y may be x.
    /// </summary>
    void DropoutForward(Tensor x, float ratio, ulong seed, ulong stream, Tensor y, Tensor mask);

    // ── optimizer updates, in place; g' = grad + weightDecay·param ─────────────────────────

    /// <summary>param −= lr·g'.</summary>
    void SgdStep(Tensor param, Tensor grad, float learningRate, float weightDecay);

    /// <summary>v = momentum·v − lr·g'; param += v.</summary>
    void MomentumStep(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay);

    /// <summary>The seed's Nesterov: v = momentum·v − lr·g'; param += momentum²·v − (1 + momentum)·lr·g'.</summary>
    void NesterovStep(Tensor param, Tensor grad, Tensor velocity, float learningRate, float momentum, float weightDecay);

    /// <summary>h += g'²; param −= lr·g'/(√h + 1e-7).</summary>
    void AdaGradStep(Tensor param, Tensor grad, Tensor h, float learningRate, float weightDecay);

    /// <summary>h = decay·h + (1 − decay)·g'²; param −= lr·g'/(√h + 1e-7).</summary>
    void RmsPropStep(Tensor param, Tensor grad, Tensor h, float learningRate, float decayRate, float weightDecay);

    /// <summary>
    /// The seed's Adam with the bias correction folded into the step size:
    /// m += (1 − β1)(g' − m); v += (1 − β2)(g'² − v); param −= lrT·m/(√v + 1e-7), where the caller
    /// passes lrT = lr·√(1 − β2^t)/(1 − β1^t) for step t (1-based).
    /// </summary>
    void AdamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRateT, float beta1, float beta2, float weightDecay);

    /// <summary>Waits until every queued operation has finished (a no-op on synchronous providers).</summary>
    void Synchronize();
}
