using BenchmarkDotNet.Attributes;
using CnnNative.Core;
using CnnNative.Providers.OpenBlas;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Bench.OpenBlas;

/// <summary>
/// The measurement behind the openblas provider's thread split: one SimpleConvNet training
/// step (batch 100) with OpenBLAS threads × managed-kernel threads. OpenBLAS's idle pthread
/// workers spin after each call, so running both teams wide can cost more than it gains.
/// </summary>
[MemoryDiagnoser]
public class OpenBlasThreadingBenchmarks
{
    private IComputeProvider _provider = null!;
    private SimpleConvNetStep _step = null!;

    [Params(1, 2)]
    public int BlasThreads { get; set; }

    [Params(1, 2)]
    public int KernelThreads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Threads"] = BlasThreads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["KernelThreads"] = KernelThreads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        _provider = new OpenBlasProviderFactory().Create(section);
        _step = new SimpleConvNetStep(_provider, 100);
        _step.Run();
    }

    [Benchmark(Description = "SimpleConvNet step, batch 100")]
    public void TrainingStep() => _step.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        _step.Dispose();
        _provider.Dispose();
    }
}
