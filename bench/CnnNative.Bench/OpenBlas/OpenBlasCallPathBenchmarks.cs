using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CnnNative.Core;
using CnnNative.Providers.OpenBlas;
using CnnNative.Providers.OpenBlas.Interop;

namespace CnnNative.Bench.OpenBlas;

/// <summary>
/// Our whole call path (validation in the base class, thread check, <c>[LibraryImport]</c> stub)
/// against a raw <c>cblas_sgemm</c> on the same shapes, the same thread count and the same
/// kind of 64-byte aligned memory. The raw call is the baseline, so the Ratio column is our
/// cost: the target is ≥ 90% of raw throughput, a ratio ≤ 1.11. Provider settings come from
/// <c>CNN_Compute__OpenBlas__…</c> as in every suite (e.g. <c>…__Threads=2</c>, <c>…__KernelThreads=1</c>).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class OpenBlasCallPathBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new GflopsColumn());
    }

    private OpenBlasProvider _provider = null!;
    private Tensor _a = null!, _b = null!, _c = null!;
    private unsafe float* _rawA, _rawB, _rawC;
    private GemmShape _shape;
    private int _lda, _ldb;

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = GemmShape.Standard[0];

    public static IEnumerable<string> Shapes => GemmShape.Standard;

    [GlobalSetup]
    public unsafe void Setup()
    {
        _shape = GemmShape.Parse(Shape);
        _provider = (OpenBlasProvider)BenchProviders.Create("openblas");
        int aLength = _shape.M * _shape.K, bLength = _shape.K * _shape.N, cLength = _shape.M * _shape.N;
        var a = Values(aLength, 1);
        var b = Values(bLength, 2);
        _a = _provider.Allocate(new TensorShape(aLength));
        _b = _provider.Allocate(new TensorShape(bLength));
        _c = _provider.Allocate(new TensorShape(cLength));
        _provider.Upload(a, _a);
        _provider.Upload(b, _b);
        _rawA = Aligned(a);
        _rawB = Aligned(b);
        _rawC = Aligned(new float[cLength]);
        _lda = _shape.TransA == Transpose.NoTranspose ? _shape.K : _shape.M;
        _ldb = _shape.TransB == Transpose.NoTranspose ? _shape.N : _shape.K;
    }

    [Benchmark(Baseline = true, Description = "raw cblas_sgemm")]
    public unsafe void Raw()
    {
        OpenBlasNative.cblas_sgemm(OpenBlasNative.CblasRowMajor,
            _shape.TransA == Transpose.NoTranspose ? OpenBlasNative.CblasNoTrans : OpenBlasNative.CblasTrans,
            _shape.TransB == Transpose.NoTranspose ? OpenBlasNative.CblasNoTrans : OpenBlasNative.CblasTrans,
            _shape.M, _shape.N, _shape.K, 1f, _rawA, _lda, _rawB, _ldb, 0f, _rawC, _shape.N);
    }

    [Benchmark(Description = "openblas provider Gemm")]
    public void Provider() =>
        _provider.Gemm(_shape.TransA, _shape.TransB, _shape.M, _shape.N, _shape.K, 1f, _a, _b, 0f, _c);

    [GlobalCleanup]
    public unsafe void Cleanup()
    {
        NativeMemory.AlignedFree(_rawA);
        NativeMemory.AlignedFree(_rawB);
        NativeMemory.AlignedFree(_rawC);
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _provider.Dispose();
    }

    private static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    private static unsafe float* Aligned(float[] values)
    {
        var p = (float*)NativeMemory.AlignedAlloc((nuint)values.Length * sizeof(float), 64);
        values.CopyTo(new Span<float>(p, values.Length));
        return p;
    }
}
