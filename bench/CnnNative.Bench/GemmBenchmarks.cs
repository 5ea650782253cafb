using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CnnNative.Core;

namespace CnnNative.Bench;

/// <summary>
/// C = op(A)·op(B) on each provider for square sizes and the network's products (see
/// <see cref="GemmShape.Standard"/>), with memory diagnostics (a warm GEMM allocates nothing)
/// and a GFLOP/s column computed from the mean. Operands are uploaded once; only the product
/// is timed. Run: <c>./build.sh bench '*GemmBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class GemmBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new GflopsColumn());
    }

    private IComputeProvider _provider = null!;
    private Tensor _a = null!, _b = null!, _c = null!;
    private GemmShape _shape;

    [Params("managed", "openblas", "opencl")]
    public string Provider { get; set; } = "managed";

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = GemmShape.Standard[0];

    public static IEnumerable<string> Shapes => GemmShape.Standard;

    [GlobalSetup]
    public void Setup()
    {
        _shape = GemmShape.Parse(Shape);
        _provider = BenchProviders.Create(Provider);
        _a = Filled(_shape.M * _shape.K, 1);
        _b = Filled(_shape.K * _shape.N, 2);
        _c = _provider.Allocate(new TensorShape(_shape.M * _shape.N));
    }

    private Tensor Filled(int length, int seed)
    {
        var t = _provider.Allocate(new TensorShape(length));
        var rng = new Random(seed);
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        _provider.Upload(data, t);
        return t;
    }

    [Benchmark]
    public void Gemm()
    {
        _provider.Gemm(_shape.TransA, _shape.TransB, _shape.M, _shape.N, _shape.K, 1f, _a, _b, 0f, _c);
        _provider.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _provider.Dispose();
    }
}
