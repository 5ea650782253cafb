using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Reference;
using Xunit.Abstractions;

namespace CnnNative.Tests.Nn;

/// <summary>The loss abstraction: label-smoothed cross-entropy and mean squared error, in code and in model files.</summary>
public sealed class LossTests(ITestOutputHelper output) : IDisposable
{
    private readonly ReferenceProvider _p = new();

    public void Dispose() => _p.Dispose();

    private (Tensor Scores, Tensor Labels) Batch()
    {
        var scores = _p.Allocate(new TensorShape(2, 3));
        _p.Upload([1f, 2, 3, 0.5f, -1, 0], scores);
        var labels = _p.Allocate(new TensorShape(2));
        _p.Upload([2f, 0], labels);
        return (scores, labels);
    }

    [Fact]
    public void Mean_squared_error_is_half_the_mean_squared_distance_to_one_hot()
    {
        using var loss = new MeanSquaredError();
        loss.Bind(_p, 3);
        var (scores, labels) = Batch();
        using (scores) using (labels)
        {
            double expected = ((1 + 4 + 4) + (0.25 + 1 + 0)) / (2.0 * 2);
            Assert.Equal(expected, NnTestData.Download(loss.Forward(scores, labels))[0], 12);
            Assert.Equal([0.5, 1, 1, -0.25, -0.5, 0], NnTestData.Download(loss.Backward()));
        }
    }

    [Fact]
    public void Label_smoothing_gives_the_smoothed_cross_entropy_and_its_gradient()
    {
        const float e = 0.1f;
        using var loss = new SoftmaxWithLoss(_p, 3, labelSmoothing: e);
        var (scores, labels) = Batch();
        using (scores) using (labels)
        {
            double[] z = [1, 2, 3, 0.5, -1, 0];
            int[] t = [2, 0];
            double expected = 0;
            var grad = new double[6];
            for (int n = 0; n < 2; n++)
            {
                double sum = Math.Exp(z[3 * n]) + Math.Exp(z[3 * n + 1]) + Math.Exp(z[3 * n + 2]);
                for (int k = 0; k < 3; k++)
                {
                    double p = Math.Exp(z[3 * n + k]) / sum;
                    double target = (k == t[n] ? 1 - (double)e : 0) + (double)e / 3;
                    expected -= target * Math.Log(p) / 2;
                    grad[3 * n + k] = (p - target) / 2;
                }
            }
            // The seed's 1e-7 inside the log moves the value by at most 1e-7/p.
            double actual = NnTestData.Download(loss.Forward(scores, labels))[0];
            Assert.True(Math.Abs(expected - actual) < 1e-6, $"loss {actual}, expected {expected}");
            var dx = NnTestData.Download(loss.Backward());
            for (int i = 0; i < 6; i++) Assert.Equal(grad[i], dx[i], 8); // ε/(N·K) reaches Fill as a float
        }
    }

    [Theory]
    [InlineData("""{ "type": "mse" }""")]
    [InlineData("""{ "type": "softmax-cross-entropy", "labelSmoothing": 0.2 }""")]
    public void A_network_with_a_chosen_loss_passes_its_gradient_check(string lossJson)
    {
        var spec = ModelSpec.FromJson($$"""
            { "init": "xavier", "loss": {{lossJson}}, "layers": [ { "type": "affine", "units": 5 }, { "type": "tanh" }, { "type": "affine", "units": 3 } ] }
            """);
        using var net = Network.Build(spec, new TensorShape(4), 3, _p, seed: 2);
        Assert.Equal(spec.Loss!.Create().GetType(), net.LossLayer.GetType());
        using var x = NnTestData.Random(_p, 3, 6, 4);
        using var labels = NnTestData.Labels(_p, 6, 3);
        var result = GradientCheck.Check(net, x, labels);
        output.WriteLine(result.ToString());
        Assert.True(result.MaxRelativeError < 1e-5, result.ToString());
        Assert.Equal(spec.Loss, ModelSpec.FromJson(net.Spec.ToJson()).Loss);
    }

    [Fact]
    public void A_coded_network_takes_a_loss_and_writes_it_into_its_spec()
    {
        using var net = new Network([new Affine(_p, "a", new TensorShape(4), 3)], loss: new MeanSquaredError());
        Assert.IsType<MeanSquaredError>(net.LossLayer);
        Assert.Equal(new LossSpec { Type = "mse" }, net.Spec.Loss);
        Assert.Throws<InvalidOperationException>(() => net.LossLayer.Bind(_p, 3)); // one network per loss
    }

    [Theory]
    [InlineData("""{ "type": "hinge" }""", "Unknown loss 'hinge'")]
    [InlineData("""{ "type": "mse", "labelSmoothing": 0.1 }""", "does not take \"labelSmoothing\"")]
    [InlineData("""{ "type": "softmax-cross-entropy", "labelSmoothing": 1 }""", "label smoothing must be in [0, 1)")]
    public void Bad_loss_entries_are_explained(string lossJson, string message)
    {
        var spec = ModelSpec.FromJson($$"""{ "loss": {{lossJson}}, "layers": [ { "type": "affine", "units": 2 } ] }""");
        Assert.Contains(message, Assert.Throws<InvalidModelException>(() => spec.Validate(new TensorShape(3), 2)).Message);
    }

    [Fact]
    public void A_users_optimizer_subclass_is_an_optimizer_like_the_built_in_ones()
    {
        using var net = new Network([new Affine(_p, "a", new TensorShape(4), 3)], seed: 1);
        using var optimizer = new HeavyBall(net.Parameters, 0.5f);
        Assert.Equal("heavy-ball", optimizer.Name);
        Assert.Equal(["a.W.velocity", "a.b.velocity"], optimizer.State.Select(s => s.Name));
        using var x = NnTestData.Random(_p, 1, 5, 4);
        using var labels = NnTestData.Labels(_p, 5, 3);
        var before = NnTestData.Download(net.Parameters[0].Value);
        net.TrainStep(x, labels, optimizer);
        var gradient = NnTestData.Download(net.Parameters[0].Gradient);
        var after = NnTestData.Download(net.Parameters[0].Value);
        for (int i = 0; i < after.Length; i++) Assert.Equal(before[i] - 0.5 * gradient[i], after[i], 12);
        Assert.Equal(1, optimizer.StepCount);
        Assert.Throws<ArgumentException>(() => new HeavyBall(net.Parameters, -1f));
    }

    /// <summary>v = 0.5·v − lr·g; W += v: momentum with a fixed decay, written from provider operations.</summary>
    private sealed class HeavyBall : Optimizer
    {
        private readonly Tensor[] _velocity;

        public HeavyBall(IReadOnlyList<Parameter> parameters, float learningRate) : base("heavy-ball", learningRate, parameters) =>
            _velocity = AddState("velocity");

        protected override void Update(int index, Parameter parameter, float weightDecay)
        {
            var p = parameter.Value.Provider;
            p.Scale(_velocity[index], 0.5f, _velocity[index]);
            p.Axpy(-LearningRate, parameter.Gradient, _velocity[index]);
            p.Axpy(1f, _velocity[index], parameter.Value);
        }
    }
}
