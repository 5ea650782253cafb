using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// Tanh and leaky ReLU over every length, with the output separate and aliased to each input.
public abstract partial class ProviderConformanceTests
{
    [ProviderTheory]
    [MemberData(nameof(LengthAliasData))]
    public void TanhForward_matches_the_oracle(int length, Alias alias)
    {
        var data = new TestData(TestData.Seed(length, 41));
        float[] x = data.Uniform(length, -6, 6);
        float[] extremes = [0f, -100f, 100f, -20f, 20f, 1e-8f, -1e-8f, 0.5f];
        for (int i = 0; i < Math.Min(length, extremes.Length); i++) x[i * 3 % length] = extremes[i];
        Unary(length, alias, "TanhForward", (p, a, b) => p.TanhForward(a, b), x, Tolerance.Transcendental);
    }

    [ProviderTheory]
    [MemberData(nameof(LengthAliasData))]
    public void TanhBackward_matches_the_oracle(int length, Alias alias)
    {
        var data = new TestData(TestData.Seed(length, 42));
        Binary(length, alias, "TanhBackward", (p, g, y, dx) => p.TanhBackward(g, y, dx),
            data.Uniform(length, -2, 2), data.Uniform(length, -1, 1), Tolerance.Rounding.Times(2));
    }

    [ProviderTheory]
    [MemberData(nameof(LengthAliasData))]
    public void LeakyReluForward_matches_the_oracle(int length, Alias alias)
    {
        var data = new TestData(TestData.Seed(length, 43));
        float[] x = data.Uniform(length, -2, 2);
        for (int i = 0; i < length; i += 5) x[i] = 0f; // the boundary itself
        float slope = length % 2 == 0 ? 0.01f : 0.3f;
        Unary(length, alias, $"LeakyReluForward slope {slope}", (p, a, b) => p.LeakyReluForward(a, slope, b), x, Tolerance.Rounding);
    }

    [ProviderTheory]
    [MemberData(nameof(LengthAliasData))]
    public void LeakyReluBackward_matches_the_oracle(int length, Alias alias)
    {
        // y is a forward output with exact zeros, where the gradient takes the slope.
        var data = new TestData(TestData.Seed(length, 44));
        float[] y = data.Uniform(length, -1, 1);
        for (int i = 0; i < length; i += 4) y[i] = 0f;
        float slope = length % 2 == 0 ? 0.2f : 0f;
        Binary(length, alias, $"LeakyReluBackward slope {slope}", (p, g, fwd, dx) => p.LeakyReluBackward(g, fwd, slope, dx),
            data.Uniform(length, -2, 2), y, Tolerance.Rounding);
    }

    [ProviderFact]
    public void LeakyRelu_refuses_a_slope_outside_0_to_1()
    {
        using var x = Provider.Allocate(new CnnNative.Core.TensorShape(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Provider.LeakyReluForward(x, -0.1f, x));
        Assert.Throws<ArgumentOutOfRangeException>(() => Provider.LeakyReluBackward(x, x, 1f, x));
        Assert.Throws<ArgumentOutOfRangeException>(() => Provider.LeakyReluForward(x, float.NaN, x));
    }
}
