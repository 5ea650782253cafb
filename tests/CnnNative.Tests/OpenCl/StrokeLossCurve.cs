using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenCl;

/// <summary>
/// The loss after each Adam step of simple-conv on <see cref="SyntheticStrokes"/>, from fixed
/// seeds, on a named provider: what the cross-provider training tests compare step by step.
/// </summary>
internal static class StrokeLossCurve
{
    private const int Batches = 10;

    public static List<double> Measure(string provider, int batch, int steps)
    {
        using var p = TestProviders.Create(provider);
        return Measure(p, ModelPresets.Create(ModelPresets.SimpleConv, SyntheticStrokes.Classes), batch, steps);
    }

    /// <summary>The loss of every step of <paramref name="spec"/> trained on <paramref name="p"/>.</summary>
    public static List<double> Measure(IComputeProvider p, ModelSpec spec, int batch, int steps)
    {
        var sample = new TensorShape(1, SyntheticStrokes.Size, SyntheticStrokes.Size);
        int sampleLength = sample.Length;
        var (images, labels) = SyntheticStrokes.Make(batch * Batches, seed: 11);
        using var net = Network.Build(spec, sample, SyntheticStrokes.Classes, p, seed: 5);
        using var optimizer = Optimizer.Create(OptimizerSettings.For("adam"), net.Parameters);
        using var x = p.Allocate(new TensorShape([batch, .. sample.Dimensions]));
        using var t = p.Allocate(new TensorShape(batch));
        var losses = new List<double>(steps);
        for (int s = 0; s < steps; s++)
        {
            int b = s % Batches;
            p.Upload(images.AsSpan(b * batch * sampleLength, batch * sampleLength), x);
            p.Upload(labels.AsSpan(b * batch, batch), t);
            net.TrainStep(x, t, optimizer);
            losses.Add(net.ReadLoss());
        }
        return losses;
    }

    /// <summary>The mean of steps [from, to).</summary>
    public static double Mean(List<double> losses, int from, int to)
    {
        double sum = 0;
        for (int i = from; i < to; i++) sum += losses[i];
        return sum / (to - from);
    }
}
