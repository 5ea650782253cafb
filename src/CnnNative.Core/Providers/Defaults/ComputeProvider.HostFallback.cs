namespace CnnNative.Core;

// Host fallback defaults: operations that no combination of the minimal core expresses
// (exponentials, square roots, maxima, the counter RNG) download their inputs, compute on the
// host in double precision (HostKernels, HostBatchNorm) and upload the results — ONNX Runtime's
// CPU fallback, per operation. Correct on any provider, but each call moves its tensors across
// the bus: a provider overrides these first when it wants speed. All inputs are downloaded
// before any output is uploaded, so the aliasing each operation allows stays safe.
public abstract partial class ComputeProvider
{
    private double[] ToHost(Tensor t, int length)
    {
        var host = new double[length];
        DownloadCore(t, host.AsSpan());
        return host;
    }

    private void ToDevice(double[] host, Tensor t) => UploadCore(new ReadOnlySpan<double>(host), t);

    private void Map(Tensor x, Tensor y, Func<double, double> f)
    {
        double[] v = ToHost(x, x.Length);
        for (int i = 0; i < v.Length; i++) v[i] = f(v[i]);
        ToDevice(v, y);
    }

    private void Map(Tensor a, Tensor b, Tensor c, Func<double, double, double> f)
    {
        double[] va = ToHost(a, a.Length), vb = ToHost(b, a.Length);
        for (int i = 0; i < va.Length; i++) va[i] = f(va[i], vb[i]);
        ToDevice(va, c);
    }

    /// <summary>Host fallback (see the file comment).</summary>
    protected virtual void MultiplyCore(Tensor a, Tensor b, Tensor c) => Map(a, b, c, (x, y) => x * y);

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void ReluForwardCore(Tensor x, Tensor y) => Map(x, y, v => v > 0 ? v : 0);

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void ReluBackwardCore(Tensor dy, Tensor y, Tensor dx) => Map(dy, y, dx, (g, v) => v > 0 ? g : 0);

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void SigmoidForwardCore(Tensor x, Tensor y) => Map(x, y, v => 1 / (1 + Math.Exp(-v)));

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void SigmoidBackwardCore(Tensor dy, Tensor y, Tensor dx) => Map(dy, y, dx, (g, v) => g * (1 - v) * v);

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void SoftmaxCore(Tensor logits, Tensor probs, int rows, int cols)
    {
        double[] x = ToHost(logits, rows * cols);
        HostKernels.Softmax(x, x, rows, cols);
        ToDevice(x, probs);
    }

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void SoftmaxCrossEntropyForwardCore(Tensor logits, Tensor labels, Tensor probs, Tensor loss, int rows, int cols)
    {
        double[] p = ToHost(logits, rows * cols), t = ToHost(labels, rows);
        HostKernels.Softmax(p, p, rows, cols);
        double value = HostKernels.CrossEntropy(p, t, rows, cols);
        ToDevice(p, probs);
        ToDevice([value], loss);
    }

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void SoftmaxCrossEntropyBackwardCore(Tensor probs, Tensor labels, Tensor dx, int rows, int cols)
    {
        double[] p = ToHost(probs, rows * cols), t = ToHost(labels, rows);
        HostKernels.CrossEntropyBackward(p, t, p, rows, cols);
        ToDevice(p, dx);
    }

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void CountCorrectCore(Tensor scores, Tensor labels, Tensor counter, int rows, int cols)
    {
        double[] s = ToHost(scores, rows * cols), t = ToHost(labels, rows), count = ToHost(counter, 1);
        count[0] += HostKernels.CountCorrect(s, t, rows, cols);
        ToDevice(count, counter);
    }

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void BatchNormForwardTrainingCore(Tensor x, in BatchNormGeometry geometry, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float momentum, float epsilon, Tensor y, Tensor saveMean, Tensor saveInvStd)
    {
        int c = geometry.Channels;
        double[] hx = ToHost(x, geometry.Length), hy = new double[geometry.Length];
        double[] rm = ToHost(runningMean, c), rv = ToHost(runningVar, c), mean = new double[c], invStd = new double[c];
        HostBatchNorm.ForwardTraining(hx, geometry, ToHost(gamma, c), ToHost(beta, c), rm, rv, momentum, epsilon, hy, mean, invStd);
        ToDevice(hy, y); ToDevice(rm, runningMean); ToDevice(rv, runningVar); ToDevice(mean, saveMean); ToDevice(invStd, saveInvStd);
    }

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void BatchNormForwardInferenceCore(Tensor x, in BatchNormGeometry geometry, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float epsilon, Tensor y)
    {
        int c = geometry.Channels;
        double[] hx = ToHost(x, geometry.Length);
        HostBatchNorm.ForwardInference(hx, geometry, ToHost(gamma, c), ToHost(beta, c), ToHost(runningMean, c), ToHost(runningVar, c), epsilon, hx);
        ToDevice(hx, y);
    }

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void BatchNormBackwardCore(Tensor dy, Tensor x, in BatchNormGeometry geometry, Tensor gamma,
        Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dgamma, Tensor dbeta)
    {
        int c = geometry.Channels;
        double[] hdy = ToHost(dy, geometry.Length), dg = new double[c], db = new double[c];
        HostBatchNorm.Backward(hdy, ToHost(x, geometry.Length), geometry, ToHost(gamma, c), ToHost(saveMean, c), ToHost(saveInvStd, c), hdy, dg, db);
        ToDevice(hdy, dx); ToDevice(dg, dgamma); ToDevice(db, dbeta);
    }

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void MaxPoolForwardCore(Tensor x, in PoolGeometry geometry, Tensor y, Tensor argmax)
    {
        double[] hy = new double[geometry.OutputLength], ha = new double[geometry.OutputLength];
        HostKernels.MaxPool(ToHost(x, geometry.InputLength), geometry, hy, ha);
        ToDevice(hy, y); ToDevice(ha, argmax);
    }

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void MaxPoolBackwardCore(Tensor dy, Tensor argmax, in PoolGeometry geometry, Tensor dx)
    {
        double[] hdx = new double[geometry.InputLength];
        HostKernels.MaxPoolBackward(ToHost(dy, geometry.OutputLength), ToHost(argmax, geometry.OutputLength), geometry, hdx);
        ToDevice(hdx, dx);
    }

    /// <summary><paramref name="key"/> is <see cref="CounterRng.StreamKey"/>(seed, stream), already computed. Host fallback by default.</summary>
    protected virtual void DropoutForwardCore(Tensor x, float ratio, ulong key, Tensor y, Tensor mask)
    {
        double[] hx = ToHost(x, x.Length), hm = new double[x.Length];
        HostKernels.Dropout(hx, ratio, key, hx, hm);
        ToDevice(hx, y); ToDevice(hm, mask);
    }

    /// <summary>Runs <paramref name="step"/>(i, g′ = grad + wd·param) over host copies and uploads the parameters and <paramref name="state"/>.</summary>
    private void HostStep(Tensor param, Tensor grad, float weightDecay, Tensor[] state, Action<double[], double[][], int, double> step)
    {
        double[] p = ToHost(param, param.Length), g = ToHost(grad, param.Length);
        double[][] s = Array.ConvertAll(state, t => ToHost(t, param.Length));
        for (int i = 0; i < p.Length; i++) step(p, s, i, g[i] + weightDecay * p[i]);
        ToDevice(p, param);
        for (int k = 0; k < state.Length; k++) ToDevice(s[k], state[k]);
    }

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void AdaGradStepCore(Tensor param, Tensor grad, Tensor h, float learningRate, float weightDecay) =>
        HostStep(param, grad, weightDecay, [h], (p, s, i, g) =>
        {
            s[0][i] += g * g;
            p[i] -= learningRate * g / (Math.Sqrt(s[0][i]) + 1e-7);
        });

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void RmsPropStepCore(Tensor param, Tensor grad, Tensor h, float learningRate, float decayRate, float weightDecay) =>
        HostStep(param, grad, weightDecay, [h], (p, s, i, g) =>
        {
            s[0][i] = decayRate * s[0][i] + (1 - decayRate) * g * g;
            p[i] -= learningRate * g / (Math.Sqrt(s[0][i]) + 1e-7);
        });

    /// <inheritdoc cref="MultiplyCore"/>
    protected virtual void AdamStepCore(Tensor param, Tensor grad, Tensor m, Tensor v, float learningRateT, float beta1, float beta2, float weightDecay) =>
        HostStep(param, grad, weightDecay, [m, v], (p, s, i, g) =>
        {
            s[0][i] += (1 - beta1) * (g - s[0][i]);
            s[1][i] += (1 - beta2) * (g * g - s[1][i]);
            p[i] -= learningRateT * s[0][i] / (Math.Sqrt(s[1][i]) + 1e-7);
        });
}
