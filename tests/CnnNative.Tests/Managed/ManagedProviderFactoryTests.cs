using CnnNative.Core;
using CnnNative.Providers.Managed;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Tests.Managed;

public sealed class ManagedProviderFactoryTests
{
    private static IConfiguration Section(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();

    [Fact]
    public void Threads_come_from_configuration_and_default_to_every_processor()
    {
        var factory = new ManagedProviderFactory();
        Assert.Equal("managed", factory.Name);
        using (var p = factory.Create(Section(("Threads", "1"))))
            Assert.Equal(1, p.Info.Threads);
        using (var p = factory.Create(Section()))
            Assert.Equal(Environment.ProcessorCount, p.Info.Threads);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("many")]
    [InlineData("20000")]
    public void Bad_thread_counts_say_what_to_write(string value)
    {
        var e = Assert.Throws<ProviderUnavailableException>(() => new ManagedProviderFactory().Create(Section(("Threads", value))));
        Assert.Contains("Compute:Managed:Threads", e.Message);
        Assert.Contains($"1 to {ComputeOptions.MaxThreads}", e.Message);
        Assert.DoesNotContain("Parameter", e.Message);
    }

    [Fact]
    public void The_convolution_algorithm_comes_from_configuration_and_defaults_to_measuring()
    {
        var factory = new ManagedProviderFactory();
        using (var p = (ManagedProvider)factory.Create(Section(("ConvolutionAlgorithm", "Winograd"))))
            Assert.Equal(ConvolutionAlgorithm.Winograd, p.ConvolutionAlgorithm);
        using (var p = (ManagedProvider)factory.Create(Section()))
            Assert.Equal(ConvolutionAlgorithm.Auto, p.ConvolutionAlgorithm);
        var e = Assert.Throws<ProviderUnavailableException>(() => factory.Create(Section(("ConvolutionAlgorithm", "fft"))));
        Assert.Contains("im2col, shiftedgemm, direct, winograd", e.Message);
    }

    [Fact]
    public void Info_names_the_cpu_the_vector_width_and_the_runtime()
    {
        using var p = new ManagedProvider(2);
        var info = p.Info;
        Assert.Equal("managed", info.Name);
        Assert.False(string.IsNullOrWhiteSpace(info.Device));
        Assert.Equal(2, info.Threads);
        Assert.Contains("Vector", info.Details["SIMD"]);
        Assert.Contains(".NET", info.Details[".NET"]);
    }

    [Fact]
    public void Registry_creates_it_by_name()
    {
        var registry = new ProviderRegistry().Register(new ManagedProviderFactory());
        using var p = registry.Create("managed");
        Assert.IsType<ManagedProvider>(p);
    }

    [Fact]
    public unsafe void Buffers_are_64_byte_aligned_zeroed_and_freed_with_the_provider()
    {
        var p = new ManagedProvider(1);
        var t = p.Allocate(new TensorShape(3, 5));
        var buffer = Assert.IsType<NativeBuffer>(t.Buffer);
        Assert.Equal(0, (long)buffer.Pointer % NativeBuffer.Alignment);
        Assert.All(buffer.Span.ToArray(), v => Assert.Equal(0f, v));
        p.Dispose();
        Assert.True(buffer.Pointer == null);
        t.Dispose(); // after the provider: must not throw or double-free
    }
}
