using CnnNative.Nn;

namespace CnnNative.Cli.Commands;

/// <summary>
/// The arithmetic one image costs a network, in floating-point operations (a multiply-add
/// counts two), counting the layers that hold nearly all of it: convolutions
/// (2·F·C·KH·KW·OH·OW) and affine layers (2·inputs·units). Inference is the forward pass;
/// training adds the weight gradient (as much again) and the input gradient (as much again,
/// except in the first layer, which propagates none). Elementwise layers, pooling and
/// batch-norm are left out: a few operations per value, not per weight. Effective GFLOP/s =
/// images/s × this, the figure a workload is compared with the measured FMA peak by; it is
/// the same whatever algorithm runs (Winograd does fewer multiplications for the same work).
/// Every layer counts, inside containers too (<see cref="Network.AllLayers"/>), so a
/// ResNet's convolutions count, shortcut projections included.
/// </summary>
internal readonly record struct BenchFlops(double Inference, double Training)
{
    public static BenchFlops Of(Network net)
    {
        double inference = 0, training = 0;
        foreach (var layer in net.AllLayers())
        {
            double forward = layer switch
            {
                Convolution c => 2.0 * c.Weights.Value.Shape.Length * c.OutputShape[1] * c.OutputShape[2],
                Affine a => 2.0 * a.Weights.Value.Shape.Length,
                _ => 0,
            };
            inference += forward;
            // A container passes PropagatesGradient on to its first layers, so each layer's own flag is the truth.
            training += forward * (layer.PropagatesGradient ? 3 : 2);
        }
        return new BenchFlops(inference, training);
    }
}
