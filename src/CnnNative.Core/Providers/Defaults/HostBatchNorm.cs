namespace CnnNative.Core;

/// <summary>Batch normalisation on host copies for the fallback defaults; x is [Batch, Channels, Spatial].</summary>
internal static class HostBatchNorm
{
    private static int Index(in BatchNormGeometry g, int n, int c, int s) => (n * g.Channels + c) * g.Spatial + s;

    /// <summary>Batch statistics, normalised output and running averages (the seed's update, biased variance).</summary>
    public static void ForwardTraining(double[] x, in BatchNormGeometry g, double[] gamma, double[] beta,
        double[] runningMean, double[] runningVar, float momentum, float epsilon, double[] y, double[] saveMean, double[] saveInvStd)
    {
        for (int c = 0; c < g.Channels; c++)
        {
            double mean = 0, variance = 0;
            for (int n = 0; n < g.Batch; n++) for (int s = 0; s < g.Spatial; s++) mean += x[Index(g, n, c, s)];
            mean /= g.GroupSize;
            for (int n = 0; n < g.Batch; n++)
                for (int s = 0; s < g.Spatial; s++) { double d = x[Index(g, n, c, s)] - mean; variance += d * d; }
            variance /= g.GroupSize;
            double invStd = 1 / Math.Sqrt(variance + epsilon);
            for (int n = 0; n < g.Batch; n++)
                for (int s = 0; s < g.Spatial; s++)
                {
                    int i = Index(g, n, c, s);
                    y[i] = gamma[c] * (x[i] - mean) * invStd + beta[c];
                }
            saveMean[c] = mean;
            saveInvStd[c] = invStd;
            runningMean[c] = momentum * runningMean[c] + (1 - momentum) * mean;
            runningVar[c] = momentum * runningVar[c] + (1 - momentum) * variance;
        }
    }

    public static void ForwardInference(double[] x, in BatchNormGeometry g, double[] gamma, double[] beta,
        double[] runningMean, double[] runningVar, float epsilon, double[] y)
    {
        for (int n = 0; n < g.Batch; n++)
            for (int c = 0; c < g.Channels; c++)
            {
                double invStd = 1 / Math.Sqrt(runningVar[c] + epsilon);
                for (int s = 0; s < g.Spatial; s++)
                {
                    int i = Index(g, n, c, s);
                    y[i] = gamma[c] * (x[i] - runningMean[c]) * invStd + beta[c];
                }
            }
    }

    /// <summary>dβ = Σ dy, dγ = Σ dy·x̂, dx = γ·invStd/M·(M·dy − dβ − x̂·dγ).</summary>
    public static void Backward(double[] dy, double[] x, in BatchNormGeometry g, double[] gamma,
        double[] saveMean, double[] saveInvStd, double[] dx, double[] dgamma, double[] dbeta)
    {
        int m = g.GroupSize;
        for (int c = 0; c < g.Channels; c++)
        {
            double sumDy = 0, sumDyXhat = 0;
            for (int n = 0; n < g.Batch; n++)
                for (int s = 0; s < g.Spatial; s++)
                {
                    int i = Index(g, n, c, s);
                    sumDy += dy[i];
                    sumDyXhat += dy[i] * (x[i] - saveMean[c]) * saveInvStd[c];
                }
            double scale = gamma[c] * saveInvStd[c] / m;
            for (int n = 0; n < g.Batch; n++)
                for (int s = 0; s < g.Spatial; s++)
                {
                    int i = Index(g, n, c, s);
                    double xhat = (x[i] - saveMean[c]) * saveInvStd[c];
                    dx[i] = scale * (m * dy[i] - sumDy - xhat * sumDyXhat);
                }
            dgamma[c] = sumDyXhat;
            dbeta[c] = sumDy;
        }
    }
}
