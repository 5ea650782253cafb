using CnnNative.Core;

namespace CnnNative.Tests.Reference;

// Loss, metrics, batch norm (the seed's step-by-step backward, not the simplified formula,
// so the two derivations check each other), dropout and the optimizers as the seeds write them.
public sealed partial class ReferenceProvider
{
    protected override void SoftmaxCore(Tensor logits, Tensor probs, int rows, int cols)
    {
        double[] x = D(logits), p = D(probs);
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < cols; j++) max = Math.Max(max, x[r * cols + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.Exp(x[r * cols + j] - max);
            for (int j = 0; j < cols; j++) p[r * cols + j] = Math.Exp(x[r * cols + j] - max) / sum;
        }
    }

    protected override void SoftmaxCrossEntropyForwardCore(Tensor logits, Tensor labels, Tensor probs, Tensor loss, int rows, int cols)
    {
        double[] t = D(labels);
        CheckLabels(t, rows, cols);
        SoftmaxCore(logits, probs, rows, cols);
        double[] p = D(probs);
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += -Math.Log(p[r * cols + (int)t[r]] + 1e-7);
        D(loss)[0] = sum / rows;
    }

    protected override void SoftmaxCrossEntropyBackwardCore(Tensor probs, Tensor labels, Tensor dx, int rows, int cols)
    {
        double[] p = D(probs), t = D(labels), d = D(dx);
        CheckLabels(t, rows, cols);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < cols; j++)
                d[r * cols + j] = (p[r * cols + j] - (j == (int)t[r] ? 1 : 0)) / rows;
    }

    private static void CheckLabels(double[] labels, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            if (!(labels[r] >= 0 && labels[r] < cols)) throw LabelOutOfRange(r, (float)labels[r], cols);
    }

    protected override void CountCorrectCore(Tensor scores, Tensor labels, Tensor counter, int rows, int cols)
    {
        double[] s = D(scores), t = D(labels);
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            int best = 0;
            for (int j = 1; j < cols; j++) if (s[r * cols + j] > s[r * cols + best]) best = j;
            if (best == (int)t[r]) correct++;
        }
        D(counter)[0] += correct;
    }

    private static int Index(in BatchNormGeometry g, int n, int c, int s) => (n * g.Channels + c) * g.Spatial + s;

    protected override void BatchNormForwardTrainingCore(Tensor x, in BatchNormGeometry g, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float momentum, float epsilon, Tensor y, Tensor saveMean, Tensor saveInvStd)
    {
        double[] xs = D(x), ys = D(y), ga = D(gamma), be = D(beta), rm = D(runningMean), rv = D(runningVar), sm = D(saveMean), si = D(saveInvStd);
        int m = g.GroupSize;
        for (int c = 0; c < g.Channels; c++)
        {
            double mu = 0;
            for (int n = 0; n < g.Batch; n++) for (int s = 0; s < g.Spatial; s++) mu += xs[Index(g, n, c, s)];
            mu /= m;
            double variance = 0;
            for (int n = 0; n < g.Batch; n++) for (int s = 0; s < g.Spatial; s++) { double d = xs[Index(g, n, c, s)] - mu; variance += d * d; }
            variance /= m;
            double invStd = 1 / Math.Sqrt(variance + epsilon);
            for (int n = 0; n < g.Batch; n++)
                for (int s = 0; s < g.Spatial; s++)
                {
                    int i = Index(g, n, c, s);
                    ys[i] = ga[c] * (xs[i] - mu) * invStd + be[c];
                }
            sm[c] = mu;
            si[c] = invStd;
            rm[c] = momentum * rm[c] + (1 - momentum) * mu;
            rv[c] = momentum * rv[c] + (1 - momentum) * variance;
        }
    }

    protected override void BatchNormForwardInferenceCore(Tensor x, in BatchNormGeometry g, Tensor gamma, Tensor beta,
        Tensor runningMean, Tensor runningVar, float epsilon, Tensor y)
    {
        double[] xs = D(x), ys = D(y), ga = D(gamma), be = D(beta), rm = D(runningMean), rv = D(runningVar);
        for (int n = 0; n < g.Batch; n++)
            for (int c = 0; c < g.Channels; c++)
                for (int s = 0; s < g.Spatial; s++)
                {
                    int i = Index(g, n, c, s);
                    ys[i] = ga[c] * (xs[i] - rm[c]) / Math.Sqrt(rv[c] + epsilon) + be[c];
                }
    }

    protected override void BatchNormBackwardCore(Tensor dy, Tensor x, in BatchNormGeometry g, Tensor gamma,
        Tensor saveMean, Tensor saveInvStd, Tensor dx, Tensor dgamma, Tensor dbeta)
    {
        double[] gy = D(dy), xs = D(x), ga = D(gamma), sm = D(saveMean), si = D(saveInvStd), gx = D(dx), dg = D(dgamma), db = D(dbeta);
        int m = g.GroupSize;
        var dxc = new double[m];
        var xc = new double[m];
        for (int c = 0; c < g.Channels; c++)
        {
            // The seed's derivation: std, xc, xn, then dxn → dxc → dstd → dvar → dmu.
            double std = 1 / si[c];
            double sumDy = 0, sumDyXn = 0, dstd = 0;
            for (int n = 0, k = 0; n < g.Batch; n++)
                for (int s = 0; s < g.Spatial; s++, k++)
                {
                    int i = Index(g, n, c, s);
                    xc[k] = xs[i] - sm[c];
                    double xn = xc[k] / std;
                    sumDy += gy[i];
                    sumDyXn += gy[i] * xn;
                    double dxn = ga[c] * gy[i];
                    dxc[k] = dxn / std;
                    dstd -= dxn * xc[k] / (std * std);
                }
            double dvar = 0.5 * dstd / std;
            double dmu = 0;
            for (int k = 0; k < m; k++) { dxc[k] += 2.0 / m * xc[k] * dvar; dmu += dxc[k]; }
            for (int n = 0, k = 0; n < g.Batch; n++)
                for (int s = 0; s < g.Spatial; s++, k++)
                    gx[Index(g, n, c, s)] = dxc[k] - dmu / m;
            dg[c] = sumDyXn;
            db[c] = sumDy;
        }
    }

    protected override void DropoutForwardCore(Tensor x, float ratio, ulong key, Tensor y, Tensor mask)
    {
        double[] xs = D(x), ys = D(y), ms = D(mask);
        for (int i = 0; i < x.Length; i++)
        {
            ms[i] = CounterRng.Uniform(key, (ulong)i) > ratio ? 1 : 0;
            ys[i] = xs[i] * ms[i];
        }
    }

    private static void Step(Tensor param, Tensor grad, float weightDecay, Action<int, double> apply)
    {
        double[] p = D(param), g = D(grad);
        for (int i = 0; i < param.Length; i++) apply(i, g[i] + weightDecay * p[i]);
    }

    protected override void SgdStepCore(Tensor param, Tensor grad, float lr, float wd)
    {
        double[] p = D(param);
        Step(param, grad, wd, (i, g) => p[i] -= lr * g);
    }

    protected override void MomentumStepCore(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float wd)
    {
        double[] p = D(param), v = D(velocity);
        Step(param, grad, wd, (i, g) => { v[i] = momentum * v[i] - lr * g; p[i] += v[i]; });
    }

    protected override void NesterovStepCore(Tensor param, Tensor grad, Tensor velocity, float lr, float momentum, float wd)
    {
        double[] p = D(param), v = D(velocity);
        Step(param, grad, wd, (i, g) =>
        {
            v[i] *= momentum;
            v[i] -= lr * g;
            p[i] += momentum * momentum * v[i];
            p[i] -= (1 + momentum) * lr * g;
        });
    }

    protected override void AdaGradStepCore(Tensor param, Tensor grad, Tensor h, float lr, float wd)
    {
        double[] p = D(param), hs = D(h);
        Step(param, grad, wd, (i, g) => { hs[i] += g * g; p[i] -= lr * g / (Math.Sqrt(hs[i]) + 1e-7); });
    }

    protected override void RmsPropStepCore(Tensor param, Tensor grad, Tensor h, float lr, float decay, float wd)
    {
        double[] p = D(param), hs = D(h);
        Step(param, grad, wd, (i, g) =>
        {
            hs[i] *= decay;
            hs[i] += (1 - decay) * g * g;
            p[i] -= lr * g / (Math.Sqrt(hs[i]) + 1e-7);
        });
    }

    protected override void AdamStepCore(Tensor param, Tensor grad, Tensor m, Tensor v, float lrT, float beta1, float beta2, float wd)
    {
        double[] p = D(param), ms = D(m), vs = D(v);
        Step(param, grad, wd, (i, g) =>
        {
            ms[i] += (1 - beta1) * (g - ms[i]);
            vs[i] += (1 - beta2) * (g * g - vs[i]);
            p[i] -= lrT * ms[i] / (Math.Sqrt(vs[i]) + 1e-7);
        });
    }
}
