using System.Reflection;
using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// Bad scalars and geometries, a disposed provider, and the guard that keeps this suite
// covering every operation of the contract.
public abstract partial class ProviderConformanceTests
{
    private static void ThrowsOn<T>(string what, Action call, string expectedParam) where T : ArgumentException
    {
        var e = Record.Exception(call);
        Assert.True(e is T, $"{what} should throw {typeof(T).Name}, threw {(e is null ? "nothing" : e.GetType().Name + ": " + e.Message)}");
        Assert.True(((T)e!).ParamName == expectedParam, $"{what}: {typeof(T).Name} names parameter '{((T)e).ParamName}', expected '{expectedParam}' ({e.Message})");
    }

    [ProviderFact]
    public void Gemm_rejects_bad_sizes_transposes_and_scalars()
    {
        const Transpose N = Transpose.NoTranspose;
        Tensor a = Scratch(4), b = Scratch(4), c = Scratch(4);
        ThrowsOn<TensorShapeException>("Gemm with m = 0", () => Provider.Gemm(N, N, 0, 2, 2, 1, a, b, 0, c), "m");
        ThrowsOn<TensorShapeException>("Gemm with k = −1", () => Provider.Gemm(N, N, 2, 2, -1, 1, a, b, 0, c), "k");
        ThrowsOn<ArgumentOutOfRangeException>("Gemm with transA = 2", () => Provider.Gemm((Transpose)2, N, 2, 2, 2, 1, a, b, 0, c), "transA");
        ThrowsOn<ArgumentOutOfRangeException>("Gemm with α = NaN", () => Provider.Gemm(N, N, 2, 2, 2, float.NaN, a, b, 0, c), "alpha");
        ThrowsOn<ArgumentOutOfRangeException>("Gemm with β = ∞", () => Provider.Gemm(N, N, 2, 2, 2, 1, a, b, float.PositiveInfinity, c), "beta");
    }

    [ProviderFact]
    public void Training_operations_reject_out_of_range_scalars()
    {
        Tensor x = Scratch(8), y = Scratch(8), m = Scratch(8), v = Scratch(8);
        ThrowsOn<ArgumentOutOfRangeException>("DropoutForward with ratio 1", () => Provider.DropoutForward(x, 1f, 1, 1, y, m), "ratio");
        ThrowsOn<ArgumentOutOfRangeException>("DropoutForward with ratio −0.1", () => Provider.DropoutForward(x, -0.1f, 1, 1, y, m), "ratio");
        ThrowsOn<ArgumentOutOfRangeException>("SgdStep with a NaN learning rate", () => Provider.SgdStep(x, y, float.NaN, 0), "learningRate");
        ThrowsOn<ArgumentOutOfRangeException>("SgdStep with an infinite weight decay", () => Provider.SgdStep(x, y, 0.1f, float.PositiveInfinity), "weightDecay");
        ThrowsOn<ArgumentOutOfRangeException>("MomentumStep with a NaN momentum", () => Provider.MomentumStep(x, y, m, 0.1f, float.NaN, 0), "momentum");
        ThrowsOn<ArgumentOutOfRangeException>("AdamStep with an infinite β2", () => Provider.AdamStep(x, y, m, v, 0.1f, 0.9f, float.PositiveInfinity, 0), "beta2");

        var g = new BatchNormGeometry(2, 2, 2);
        Tensor[] c = [Scratch(2), Scratch(2), Scratch(2), Scratch(2), Scratch(2), Scratch(2)];
        ThrowsOn<ArgumentOutOfRangeException>("BatchNormForwardTraining with momentum 1.5",
            () => Provider.BatchNormForwardTraining(x, g, c[0], c[1], c[2], c[3], 1.5f, 1e-6f, y, c[4], c[5]), "momentum");
        ThrowsOn<ArgumentOutOfRangeException>("BatchNormForwardInference with epsilon 0",
            () => Provider.BatchNormForwardInference(x, g, c[0], c[1], c[2], c[3], 0f, y), "epsilon");
    }

    [ProviderFact]
    public void Loss_operations_reject_logits_that_are_not_matrices()
    {
        Tensor cube = Scratch(2, 3, 4), flat = Scratch(24), labels = Scratch(2);
        ThrowsOn<TensorShapeException>("Softmax of a rank-3 tensor", () => Provider.Softmax(cube, Scratch(2, 3, 4)), "logits");
        ThrowsOn<TensorShapeException>("SoftmaxCrossEntropyBackward of a rank-1 tensor", () => Provider.SoftmaxCrossEntropyBackward(flat, labels, Scratch(24)), "probs");
    }

    [ProviderFact]
    public void Geometry_that_does_not_fit_is_rejected_before_any_provider_sees_it()
    {
        // The same on every provider because the geometry records check themselves.
        Assert.Equal("height", Assert.Throws<InvalidGeometryException>(() => new ConvGeometry(1, 1, 3, 9, 5, 3)).ParamName);
        Assert.Equal("width", Assert.Throws<InvalidGeometryException>(() => new ConvGeometry(1, 1, 9, 2, 3, 5, padWidth: 1)).ParamName);
        Assert.Equal("strideHeight", Assert.Throws<InvalidGeometryException>(() => new ConvGeometry(1, 1, 9, 9, 3, 3, strideHeight: 0)).ParamName);
        Assert.Equal("padWidth", Assert.Throws<InvalidGeometryException>(() => new ConvGeometry(1, 1, 9, 9, 3, 3, padWidth: -1)).ParamName);
        Assert.Equal("padHeight", Assert.Throws<InvalidGeometryException>(() => PoolGeometry.Square(1, 1, 4, 4, pool: 2, stride: 2, pad: 2)).ParamName);
        Assert.Equal("channels", Assert.Throws<InvalidGeometryException>(() => new BatchNormGeometry(1, 0, 1)).ParamName);
    }

    [ProviderFact]
    public void Geometry_larger_than_the_tensors_is_rejected_naming_the_tensor()
    {
        var conv = ConvGeometry.Square(2, 3, 8, 8, kernel: 3, pad: 1); // needs 384 inputs
        ThrowsOn<TensorShapeException>("Im2Col with a geometry larger than x", () => Provider.Im2Col(Scratch(2, 3, 7, 8), conv, Scratch(conv.ColumnLength)), "x");
        var pool = PoolGeometry.Square(1, 2, 6, 6, pool: 2, stride: 2);
        ThrowsOn<TensorShapeException>("MaxPoolForward into a short y",
            () => Provider.MaxPoolForward(Scratch(1, 2, 6, 6), pool, Scratch(pool.OutputLength - 1), Scratch(pool.OutputLength)), "y");
        var bn = new BatchNormGeometry(2, 4, 3);
        ThrowsOn<TensorShapeException>("BatchNormForwardInference with 3 γ for 4 channels",
            () => Provider.BatchNormForwardInference(Scratch(24), bn, Scratch(3), Scratch(4), Scratch(4), Scratch(4), 1e-6f, Scratch(24)), "gamma");
    }

    [ProviderFact]
    public void Uninitialised_geometry_is_rejected()
    {
        // default(…) skips the geometry constructors' checks; a provider must not run an empty window.
        Tensor x = Scratch(64), y = Scratch(64), z = Scratch(64), c = Scratch(1);
        ThrowsOn<InvalidGeometryException>("Im2Col with default(ConvGeometry)", () => Provider.Im2Col(x, default, y), "geometry");
        ThrowsOn<InvalidGeometryException>("Col2Im with default(ConvGeometry)", () => Provider.Col2Im(x, default, y), "geometry");
        ThrowsOn<InvalidGeometryException>("MaxPoolForward with default(PoolGeometry)", () => Provider.MaxPoolForward(x, default, y, z), "geometry");
        ThrowsOn<InvalidGeometryException>("MaxPoolBackward with default(PoolGeometry)", () => Provider.MaxPoolBackward(x, z, default, y), "geometry");
        ThrowsOn<InvalidGeometryException>("AvgPoolForward with default(PoolGeometry)", () => Provider.AvgPoolForward(x, default, y), "geometry");
        ThrowsOn<InvalidGeometryException>("AvgPoolBackward with default(PoolGeometry)", () => Provider.AvgPoolBackward(x, default, y), "geometry");
        ThrowsOn<InvalidGeometryException>("BatchNormForwardTraining with default(BatchNormGeometry)",
            () => Provider.BatchNormForwardTraining(x, default, c, Scratch(1), Scratch(1), Scratch(1), 0.9f, 1e-6f, y, Scratch(1), Scratch(1)), "geometry");
        ThrowsOn<InvalidGeometryException>("BatchNormForwardInference with default(BatchNormGeometry)",
            () => Provider.BatchNormForwardInference(x, default, c, c, c, c, 1e-6f, y), "geometry");
        ThrowsOn<InvalidGeometryException>("BatchNormBackward with default(BatchNormGeometry)",
            () => Provider.BatchNormBackward(x, z, default, c, Scratch(1), Scratch(1), y, Scratch(1), Scratch(1)), "geometry");
    }

    [ProviderFact]
    public void Disposed_provider_refuses_work()
    {
        var provider = TestProviders.Create(ProviderName);
        var t = provider.Allocate(new TensorShape(4));
        provider.Dispose();
        provider.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => provider.Allocate(new TensorShape(4)));
        Assert.Throws<ObjectDisposedException>(() => provider.Fill(t, 1f));
        Assert.Throws<ObjectDisposedException>(() => provider.Synchronize());
    }

    [ProviderFact]
    public void Suite_covers_every_operation_of_the_contract()
    {
        // A new contract operation fails this until the catalogue and a comparison test cover it.
        // PrefersDirectConvolution is a question, not an operation: ManagedKernelTests pins its answers.
        string[] exempt = ["get_Name", "get_Info", "Dispose", "Allocate", "Synchronize", "PrefersDirectConvolution"];
        var tests = typeof(ProviderConformanceTests).GetMethods()
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .Select(m => m.Name).ToList();
        var catalogued = OpCatalog.All.Select(c => c.Operation).ToHashSet();
        var missing = new List<string>();
        foreach (var method in typeof(IComputeProvider).GetMethods().Select(m => m.Name).Distinct().Except(exempt))
        {
            bool inCatalog = catalogued.Contains(method);
            bool compared = tests.Any(t => t.Split('_').Contains(method));
            if (!inCatalog || !compared)
                missing.Add($"{method}{(inCatalog ? "" : " (not in OpCatalog)")}{(compared ? "" : " (no comparison test named after it)")}");
        }
        Assert.True(missing.Count == 0, "Contract operations the conformance suite does not cover:\n" + string.Join("\n", missing));
    }
}
