using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Nn;

/// <summary>Every optimizer against the seed's formulas written out on the host, weight decay on weights only, and state access for checkpoints.</summary>
public sealed class OptimizerTests : IDisposable
{
    private readonly ReferenceProvider _p = new();

    public void Dispose() => _p.Dispose();

    private Network TinyNetwork() =>
        Network.Build(new ModelSpec { Layers = [LayerSpec.Affine(3)] }, new TensorShape(4), 3, _p, seed: 8);

    /// <summary>The seed's update for one element, written independently of the providers.</summary>
    private sealed class HostOptimizer(OptimizerSettings s)
    {
        private readonly Dictionary<(int, int), double> _a = new(), _b = new();
        private int _t;

        public void BeginStep() => _t++;

        public double Update(int param, int i, double w, double g, double decay)
        {
            g += decay * w;
            double a = _a.GetValueOrDefault((param, i)), b = _b.GetValueOrDefault((param, i));
            double lr = s.LearningRate;
            switch (s.Name)
            {
                case "sgd": w -= lr * g; break;
                case "momentum": a = s.Momentum * a - lr * g; w += a; break;
                case "nesterov":
                    a = s.Momentum * a - lr * g;
                    w += s.Momentum * s.Momentum * a - (1 + s.Momentum) * lr * g;
                    break;
                case "adagrad": a += g * g; w -= lr * g / (Math.Sqrt(a) + 1e-7); break;
                case "rmsprop": a = s.DecayRate * a + (1 - s.DecayRate) * g * g; w -= lr * g / (Math.Sqrt(a) + 1e-7); break;
                case "adam":
                    double lrT = (float)(lr * Math.Sqrt(1 - Math.Pow(s.Beta2, _t)) / (1 - Math.Pow(s.Beta1, _t)));
                    a += (1 - s.Beta1) * (g - a);
                    b += (1 - s.Beta2) * (g * g - b);
                    w -= lrT * a / (Math.Sqrt(b) + 1e-7);
                    break;
            }
            _a[(param, i)] = a;
            _b[(param, i)] = b;
            return w;
        }
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("nesterov")]
    [InlineData("adagrad")]
    [InlineData("rmsprop")]
    [InlineData("ADAM")]
    public void Steps_follow_the_seed_formulas_with_weight_decay_on_weights_only(string name)
    {
        using var net = TinyNetwork();
        var settings = OptimizerSettings.For(name) with { LearningRate = 0.05f, WeightDecay = 0.1f };
        using var optimizer = Optimizer.Create(settings, net.Parameters);
        Assert.Equal(name.ToLowerInvariant(), optimizer.Name);
        var host = new HostOptimizer(optimizer.Settings);
        var expected = net.Parameters.Select(p => NnTestData.Download(p.Value)).ToArray();
        for (int step = 0; step < 3; step++)
        {
            host.BeginStep();
            for (int k = 0; k < net.Parameters.Count; k++)
            {
                var p = net.Parameters[k];
                var g = NnTestData.Normal(p.Value.Length, (ulong)(100 + 10 * step + k), 0.3);
                _p.Upload(g, p.Gradient);
                double decay = p.Role == ParameterRole.Weight ? 0.1 : 0;
                for (int i = 0; i < g.Length; i++) expected[k][i] = host.Update(k, i, expected[k][i], g[i], decay);
            }
            optimizer.Step();
            for (int k = 0; k < net.Parameters.Count; k++)
            {
                var actual = NnTestData.Download(net.Parameters[k].Value);
                for (int i = 0; i < actual.Length; i++)
                    Assert.True(Math.Abs(expected[k][i] - actual[i]) < 1e-6 * Math.Max(1, Math.Abs(expected[k][i])),
                        $"{name} step {step + 1} {net.Parameters[k].Name}[{i}]: expected {expected[k][i]}, got {actual[i]}");
            }
        }
        Assert.Equal(3, optimizer.StepCount);
    }

    [Fact]
    public void State_is_named_per_parameter_and_restoring_it_continues_exactly()
    {
        using var a = TinyNetwork();
        using var b = TinyNetwork();
        var settings = OptimizerSettings.For("adam");
        using var optA = Optimizer.Create(settings, a.Parameters);
        using var optB = Optimizer.Create(settings, b.Parameters);
        Assert.Equal(["affine1.W.m", "affine1.b.m", "affine1.W.v", "affine1.b.v"], optA.State.Select(s => s.Name));
        Assert.Empty(Optimizer.Create(OptimizerSettings.For("sgd"), a.Parameters).State);
        Assert.Equal(["affine1.W.velocity", "affine1.b.velocity"], Optimizer.Create(OptimizerSettings.For("momentum"), a.Parameters).State.Select(s => s.Name));

        void Gradients(Network n, ulong stream)
        {
            foreach (var p in n.Parameters) _p.Upload(NnTestData.Normal(p.Value.Length, stream++), p.Gradient);
        }

        // A runs two steps; B takes A's parameters, state and step count after one, then runs the second.
        Gradients(a, 1); optA.Step();
        foreach (var t in a.NamedTensors()) _p.Copy(t.Tensor, b.GetTensor(t.Name));
        foreach (var s in optA.State) _p.Copy(s.Tensor, optB.GetState(s.Name));
        optB.StepCount = optA.StepCount;
        Gradients(a, 5); optA.Step();
        Gradients(b, 5); optB.Step();
        foreach (var t in a.NamedTensors())
            Assert.Equal(NnTestData.Download(t.Tensor), NnTestData.Download(b.GetTensor(t.Name)));
        Assert.Throws<KeyNotFoundException>(() => optB.GetState("affine1.W.q"));
    }

    [Fact]
    public void Bad_settings_are_explained()
    {
        Assert.Contains("sgd, momentum, nesterov, adagrad, rmsprop, adam",
            Assert.Throws<ArgumentException>(() => OptimizerSettings.For("lbfgs")).Message);
        using var net = TinyNetwork();
        Assert.Contains("learning rate", Assert.Throws<ArgumentException>(() =>
            Optimizer.Create(OptimizerSettings.For("sgd") with { LearningRate = 0 }, net.Parameters)).Message);
        Assert.Contains("beta1", Assert.Throws<ArgumentException>(() =>
            Optimizer.Create(OptimizerSettings.For("adam") with { Beta1 = 1 }, net.Parameters)).Message);
        Assert.Equal(0.001f, OptimizerSettings.For("adam").LearningRate);
        Assert.Equal(0.01f, OptimizerSettings.For("Momentum").LearningRate);
    }

    [Fact]
    public void Adam_step_size_folds_in_the_bias_correction()
    {
        Assert.Equal(0.001 * Math.Sqrt(1 - 0.999f) / (1 - 0.9f), Adam.LearningRateAt(0.001f, 0.9f, 0.999f, 1), 8);
        Assert.Equal(0.001, Adam.LearningRateAt(0.001f, 0.9f, 0.999f, 100000), 6);
    }
}
