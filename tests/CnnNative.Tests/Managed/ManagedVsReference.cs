using CnnNative.Core;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Managed;

/// <summary>
/// Holds a managed provider and the double-precision reference side by side: tensors are made
/// on both from the same random data, an operation runs on both, and results are compared.
/// Used by the managed kernel tests for the paths the shared conformance suite may not reach
/// (sizes above the parallel thresholds, thread counts, vector tails).
/// </summary>
internal sealed class ManagedVsReference : IDisposable
{
    private readonly Random _rng;
    private readonly List<IDisposable> _owned = [];

    /// <param name="threads">The managed provider's threads.</param>
    /// <param name="seed">The random data's seed.</param>
    /// <param name="simd">The widest vector its kernels use (<see cref="SimdWidth.Best"/>: what the processor accelerates).</param>
    public ManagedVsReference(int threads, int seed = 42, SimdWidth simd = SimdWidth.Best)
    {
        Managed = new ManagedProvider(threads, simd);
        Reference = new ReferenceProvider();
        _rng = new Random(seed);
    }

    public ManagedProvider Managed { get; }
    public ReferenceProvider Reference { get; }

    /// <summary>A tensor pair holding the same values (uniform in [lo, hi)).</summary>
    public (Tensor M, Tensor R) Random(TensorShape shape, double lo = -1, double hi = 1)
    {
        var data = new float[shape.Length];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(lo + (hi - lo) * _rng.NextDouble());
        return From(data, shape);
    }

    public (Tensor M, Tensor R) From(float[] data, TensorShape shape)
    {
        var m = Managed.Allocate(shape);
        var r = Reference.Allocate(shape);
        Managed.Upload(data, m);
        Reference.Upload(data, r);
        _owned.Add(m);
        _owned.Add(r);
        return (m, r);
    }

    public (Tensor M, Tensor R) Labels(int rows, int classes)
    {
        var data = new float[rows];
        for (int i = 0; i < rows; i++) data[i] = _rng.Next(classes);
        return From(data, new TensorShape(rows));
    }

    /// <summary>Asserts |managed − reference| ≤ atol + rtol·|reference| element by element.</summary>
    public void AssertClose((Tensor M, Tensor R) pair, string what, double atol = 1e-5, double rtol = 1e-4)
    {
        var m = new float[pair.M.Length];
        var r = new double[pair.R.Length];
        Managed.Download(pair.M, m);
        Reference.Download(pair.R, r);
        for (int i = 0; i < m.Length; i++)
        {
            double diff = Math.Abs(m[i] - r[i]);
            if (!(diff <= atol + rtol * Math.Abs(r[i])) && !(double.IsNegativeInfinity(r[i]) && float.IsNegativeInfinity(m[i])))
                Assert.Fail($"{what}: element {i} of {m.Length} is {m[i]}, reference {r[i]}.");
        }
    }

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        Managed.Dispose();
        Reference.Dispose();
    }
}
