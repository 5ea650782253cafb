using CnnNative.Core;
using CnnNative.Providers.OpenBlas;
using Microsoft.Extensions.Configuration;

using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenBlas;

/// <summary>The factory's settings and what a user sees when the provider cannot start.</summary>
public sealed class OpenBlasFactoryTests
{
    private static IConfiguration Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Compute:OpenBlas:" + v.Key, v.Value)))
            .Build()
            .GetSection("Compute").GetSection("openblas"); // the registry finds the section by provider name

    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void FactoryIsNamedOpenblas() => Assert.Equal("openblas", new OpenBlasProviderFactory().Name);

    [Fact]
    public void AMissingConfiguredLibraryMakesTheProviderUnavailableWithTheAttemptAndInstallLine()
    {
        string missing = Path.Combine(Path.GetTempPath(), "cnn-openblas-missing", "libopenblas.so.0");

        var e = Assert.Throws<ProviderUnavailableException>(() =>
            new OpenBlasProviderFactory().Create(Section(("LibraryPath", missing))));

        Assert.StartsWith("Provider 'openblas' is unavailable:", e.Message);
        Assert.Contains("Tried: " + missing + " (Compute:OpenBlas:LibraryPath): file does not exist", e.Message);
        Assert.DoesNotContain('\n', e.Message); // every attempt on the one line a user sees
        if (OperatingSystem.IsLinux()) Assert.Contains("apt-get install libopenblas0-pthread", e.Message);
    }

    [Fact]
    public void TheEnvironmentVariableIsUsedWhenConfigurationIsSilent()
    {
        var settings = OpenBlasSettings.From(Section(), name => name == "CNN_OPENBLAS_LIBRARY" ? "/opt/blas/libopenblas.so.0" : null);
        Assert.Equal(new CnnNative.Core.Native.LibrarySetting("/opt/blas/libopenblas.so.0", "CNN_OPENBLAS_LIBRARY"), settings.Library);
    }

    [Fact]
    public void ConfigurationWinsOverTheEnvironmentVariable()
    {
        var settings = OpenBlasSettings.From(Section(("LibraryPath", "/a/libopenblas.so.0")), _ => "/b/libopenblas.so.0");
        Assert.Equal("/a/libopenblas.so.0", settings.Library!.Value);
        Assert.Equal("Compute:OpenBlas:LibraryPath", settings.Library.Source);
    }

    [Fact]
    public void ConvolutionAlgorithmIsReadAsTheManagedProvidersSetting()
    {
        Assert.Equal(CnnNative.Providers.Managed.ConvolutionAlgorithm.Auto, OpenBlasSettings.From(Section(), NoEnvironment).ConvolutionAlgorithm);
        Assert.Equal(CnnNative.Providers.Managed.ConvolutionAlgorithm.Im2Col,
            OpenBlasSettings.From(Section(("ConvolutionAlgorithm", "IM2COL")), NoEnvironment).ConvolutionAlgorithm);
        var e = Assert.Throws<ProviderUnavailableException>(() => OpenBlasSettings.From(Section(("ConvolutionAlgorithm", "fft")), NoEnvironment));
        Assert.Contains("Compute:OpenBlas:ConvolutionAlgorithm is 'fft'", e.Message);
        Assert.StartsWith("Provider 'openblas' is unavailable:", e.Message);
    }

    /// <summary>
    /// The setting reaches the provider, and the forced im2col algorithm (its GEMM through
    /// cblas_sgemm) gives the managed provider's im2col result within the float-sum tolerance.
    /// </summary>
    [ProviderFact("openblas")]
    public void TheCreatedProviderRunsTheConfiguredConvolutionAlgorithm()
    {
        using var blas = (OpenBlasProvider)new OpenBlasProviderFactory().Create(Section(("ConvolutionAlgorithm", "im2col")));
        Assert.Equal(CnnNative.Providers.Managed.ConvolutionAlgorithm.Im2Col, blas.ConvolutionAlgorithm);
        using var managed = new CnnNative.Providers.Managed.ManagedProvider(1) { ConvolutionAlgorithm = CnnNative.Providers.Managed.ConvolutionAlgorithm.Im2Col };
        var g = ConvGeometry.Square(3, 5, 9, 9, 3, pad: 1);
        var data = new TestData(4);
        float[] x = data.Uniform(g.InputLength), w = data.Uniform(7 * g.PatchSize), b = data.Uniform(7);
        float[] Forward(IComputeProvider p)
        {
            using var tx = p.Allocate(new TensorShape(3, 5, 9, 9));
            using var tw = p.Allocate(new TensorShape(7, 5, 3, 3));
            using var tb = p.Allocate(new TensorShape(7));
            using var ty = p.Allocate(new TensorShape(3, 7, 9, 9));
            p.Upload(x, tx); p.Upload(w, tw); p.Upload(b, tb);
            p.ConvolutionForward(tx, g, tw, tb, ty);
            var y = new float[ty.Length];
            p.Download(ty, y);
            return y;
        }
        Compare.Close([.. Forward(managed).Select(v => (double)v)], Forward(blas), Tolerance.Sum(g.PatchSize + 1, 1).Times(2), "openblas im2col against managed im2col");
    }

    [Fact]
    public void WithoutSettingsTheSystemSearchIsUsedAndTheKernelsGetEveryCore()
    {
        var settings = OpenBlasSettings.From(Section(), NoEnvironment);
        Assert.Null(settings.Library);
        Assert.Equal(Environment.ProcessorCount, settings.KernelThreads);
        Assert.Equal(OpenBlasSettings.DefaultBlasThreads(Environment.ProcessorCount, Environment.ProcessorCount), settings.Threads);
    }

    [Theory]
    [InlineData(2, 2, 1)]   // the measured default: kernels wide, OpenBLAS on one thread
    [InlineData(1, 2, 2)]   // kernels on one thread: OpenBLAS gets every core
    [InlineData(8, 16, 1)]
    [InlineData(1, 1, 1)]
    public void TheCoresGoToOneTeam(int kernelThreads, int cores, int blasThreads) =>
        Assert.Equal(blasThreads, OpenBlasSettings.DefaultBlasThreads(kernelThreads, cores));

    [Fact]
    public void KernelThreadsOneGivesOpenBlasEveryCoreUnlessThreadsIsSet()
    {
        Assert.Equal(Environment.ProcessorCount, OpenBlasSettings.From(Section(("KernelThreads", "1")), NoEnvironment).Threads);
        var both = OpenBlasSettings.From(Section(("KernelThreads", "1"), ("Threads", "3")), NoEnvironment);
        Assert.Equal((3, 1), (both.Threads, both.KernelThreads));
    }

    [Theory]
    [InlineData("Threads", "0")]
    [InlineData("Threads", "-2")]
    [InlineData("KernelThreads", "two")]
    [InlineData("KernelThreads", "100000")]
    public void ABadThreadCountIsExplained(string key, string value)
    {
        var e = Assert.Throws<ProviderUnavailableException>(() => OpenBlasSettings.From(Section((key, value)), NoEnvironment));
        Assert.Contains("Compute:OpenBlas:" + key + " is '" + value + "'", e.Message);
    }

    [ProviderFact("openblas")]
    public void InfoShowsVersionCoreThreadsAndTheLoadedFile()
    {
        using var provider = new OpenBlasProviderFactory().Create(Section(("Threads", "1"), ("KernelThreads", "2")));
        var info = provider.Info;

        Assert.Equal("openblas", info.Name);
        Assert.Equal(1, info.Threads);
        Assert.Equal("2", info.Details["managed kernel threads"]);
        Assert.StartsWith("OpenBLAS ", info.Details["OpenBLAS"]);
        Assert.False(string.IsNullOrWhiteSpace(info.Details["core"]));
        Assert.Equal("1", info.Details["OpenBLAS threads"]);
        Assert.Contains("libopenblas", info.Details["library"]);
        if (Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is { Length: > 0 } forced)
            Assert.Equal(forced, info.Details["core"], ignoreCase: true);
    }
}
