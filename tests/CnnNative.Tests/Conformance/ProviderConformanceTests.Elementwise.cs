using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// Add, Multiply, Scale, Axpy, ReLU and sigmoid over every length, with the output separate
// and aliased to each input (the contract lets the output be any input).
public abstract partial class ProviderConformanceTests
{
    /// <summary>Which operand the output aliases.</summary>
    public enum Alias { None, First, Second, All }

    public static TheoryData<int, Alias> LengthAliasData()
    {
        var data = new TheoryData<int, Alias>();
        int i = 0;
        foreach (int length in Cases.Lengths)
        {
            data.Add(length, Alias.None);
            data.Add(length, (Alias)(1 + i++ % 3)); // each length once in place, cycling the aliased operand
        }
        return data;
    }

    private void Binary(int length, Alias alias, string op, Action<CnnNative.Core.IComputeProvider, CnnNative.Core.Tensor, CnnNative.Core.Tensor, CnnNative.Core.Tensor> call,
        float[]? first = null, float[]? second = null, Tolerance? tolerance = null)
    {
        using var h = Harness(length, (int)alias, op.Length);
        first ??= h.Data.Uniform(length, -2, 2);
        second ??= h.Data.Uniform(length, -2, 2);
        TensorPair a, b, c;
        switch (alias)
        {
            case Alias.First: a = c = h.State(length, first); b = h.Input(length, second); break;
            case Alias.Second: a = h.Input(length, first); b = c = h.State(length, second); break;
            case Alias.All: a = b = c = h.State(length, first); break;
            default: a = h.Input(length, first); b = h.Input(length, second); c = h.Output(length, Prefill.NaN); break;
        }
        string what = $"{op} length {length}, output aliasing {alias}";
        h.Run((p, t) => call(p, t(a), t(b), t(c)), what);
        h.Check(c, tolerance ?? Tolerance.Rounding.Times(2), what);
    }

    private void Unary(int length, Alias alias, string op, Action<CnnNative.Core.IComputeProvider, CnnNative.Core.Tensor, CnnNative.Core.Tensor> call,
        float[]? input = null, Tolerance? tolerance = null)
    {
        using var h = Harness(length, (int)alias, op.Length, 1);
        input ??= h.Data.Uniform(length, -2, 2);
        TensorPair x, y;
        if (alias == Alias.None) { x = h.Input(length, input); y = h.Output(length); }
        else x = y = h.State(length, input);
        string what = $"{op} length {length}, {(alias == Alias.None ? "separate output" : "in place")}";
        h.Run((p, t) => call(p, t(x), t(y)), what);
        h.Check(y, tolerance ?? Tolerance.Rounding, what);
    }

    [ProviderTheory]
    [MemberData(nameof(LengthAliasData))]
    public void Add_matches_the_oracle(int length, Alias alias) =>
        Binary(length, alias, "Add", (p, a, b, c) => p.Add(a, b, c));

    [ProviderTheory]
    [MemberData(nameof(LengthAliasData))]
    public void Multiply_matches_the_oracle(int length, Alias alias) =>
        Binary(length, alias, "Multiply", (p, a, b, c) => p.Multiply(a, b, c));

    [ProviderTheory]
    [MemberData(nameof(LengthAliasData))]
    public void Scale_matches_the_oracle(int length, Alias alias)
    {
        float alpha = length % 2 == 0 ? -3.25f : 0.5f;
        Unary(length, alias, $"Scale α={alpha}", (p, x, y) => p.Scale(x, alpha, y));
    }

    [ProviderTheory]
    [MemberData(nameof(LengthAliasData))]
    public void Axpy_matches_the_oracle(int length, Alias alias)
    {
        // y += α·x; aliasing means x is y (x += α·x), which the contract allows.
        float alpha = length % 2 == 0 ? -1.5f : 0.25f;
        using var h = Harness(length, (int)alias, 7);
        TensorPair x, y;
        if (alias == Alias.None) { x = h.Input(length, h.Data.Uniform(length, -2, 2)); y = h.State(length, h.Data.Uniform(length, -2, 2)); }
        else x = y = h.State(length, h.Data.Uniform(length, -2, 2));
        string what = $"Axpy α={alpha} length {length}, {(alias == Alias.None ? "separate" : "x is y")}";
        h.Run((p, t) => p.Axpy(alpha, t(x), t(y)), what);
        h.Check(y, Tolerance.Rounding.Times(4), what);
    }

    [ProviderTheory]
    [MemberData(nameof(LengthAliasData))]
    public void ReluForward_matches_the_oracle(int length, Alias alias)
    {
        var data = new TestData(TestData.Seed(length, 11));
        float[] x = data.Uniform(length, -2, 2);
        for (int i = 0; i < length; i += 5) x[i] = 0f; // the boundary itself
        Unary(length, alias, "ReluForward", (p, a, b) => p.ReluForward(a, b), x, Tolerance.Exact);
    }

    [ProviderTheory]
    [MemberData(nameof(LengthAliasData))]
    public void ReluBackward_matches_the_oracle(int length, Alias alias)
    {
        // y is a forward output: non-negative with many exact zeros, where the gradient must be 0.
        var data = new TestData(TestData.Seed(length, 12));
        float[] dy = data.Uniform(length, -2, 2);
        float[] y = data.Uniform(length, -1, 1);
        for (int i = 0; i < length; i++) y[i] = Math.Max(y[i], 0f);
        Binary(length, alias, "ReluBackward", (p, g, fwd, dx) => p.ReluBackward(g, fwd, dx), dy, y, Tolerance.Exact);
    }

    [ProviderTheory]
    [MemberData(nameof(LengthAliasData))]
    public void SigmoidForward_matches_the_oracle(int length, Alias alias)
    {
        var data = new TestData(TestData.Seed(length, 13));
        float[] x = data.Uniform(length, -12, 12);
        float[] extremes = [0f, -100f, 100f, -40f, 40f, 88.7f, -88.7f, -1e-8f];
        for (int i = 0; i < Math.Min(length, extremes.Length); i++) x[i * 3 % length] = extremes[i];
        Unary(length, alias, "SigmoidForward", (p, a, b) => p.SigmoidForward(a, b), x, Tolerance.Transcendental);
    }

    [ProviderTheory]
    [MemberData(nameof(LengthAliasData))]
    public void SigmoidBackward_matches_the_oracle(int length, Alias alias)
    {
        var data = new TestData(TestData.Seed(length, 14));
        Binary(length, alias, "SigmoidBackward", (p, g, y, dx) => p.SigmoidBackward(g, y, dx),
            data.Uniform(length, -2, 2), data.Uniform(length, 0, 1), Tolerance.Rounding.Times(2));
    }
}
