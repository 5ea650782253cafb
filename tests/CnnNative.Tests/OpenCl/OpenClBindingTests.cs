using CnnNative.Core;
using CnnNative.Providers.OpenCl;
using CnnNative.Tests.Infrastructure;
using CnnNative.Providers.OpenCl.Interop;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Tests.OpenCl;

/// <summary>The binding itself: status names, errors, library loading, device choice, program builds.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClBindingTests(OpenClProviderFixture fixture)
{
    private static IConfiguration Section(params (string Key, string Value)[] values)
    {
        var data = new Dictionary<string, string?>();
        foreach (var (k, v) in values) data[k] = v;
        return new ConfigurationBuilder().AddInMemoryCollection(data).Build();
    }

    [Theory]
    [InlineData(0, "CL_SUCCESS")]
    [InlineData(-5, "CL_OUT_OF_RESOURCES")]
    [InlineData(-11, "CL_BUILD_PROGRAM_FAILURE")]
    [InlineData(-54, "CL_INVALID_WORK_GROUP_SIZE")]
    [InlineData(-1001, "CL_PLATFORM_NOT_FOUND_KHR")]
    [InlineData(-12345, "CL_UNKNOWN_ERROR(-12345)")]
    public void Status_codes_have_their_specification_names(int status, string name) =>
        Assert.Equal(name, ClStatus.Name(status));

    [Fact]
    public void A_failed_call_names_the_function_and_the_code()
    {
        var e = Assert.Throws<OpenClException>(() => ClStatus.Check(-4, "clCreateBuffer"));
        Assert.Equal(-4, e.Status);
        Assert.Equal("CL_MEM_OBJECT_ALLOCATION_FAILURE", e.StatusName);
        Assert.Equal("clCreateBuffer", e.Call);
        Assert.Contains("clCreateBuffer failed with CL_MEM_OBJECT_ALLOCATION_FAILURE (-4)", e.Message);
        Assert.Null(e.BuildLog);
        ClStatus.Check(0, "clFinish"); // success does not throw
    }

    [Theory]
    [InlineData("DeviceType", "fpga", "gpu, cpu or any")]
    [InlineData("DeviceIndex", "first", "DeviceIndex")]
    [InlineData("DeviceIndex", "-1", "DeviceIndex")]
    [InlineData("GemmTiles", "TM=64,TN=60,WN=8", "GemmTiles")]
    [InlineData("GemmTiles", "TQ=3", "unknown")]
    [InlineData("KernelStyle", "tpu", "auto, cpu or gpu")]
    public void Bad_configuration_is_reported_as_unavailable_with_the_key(string key, string value, string expected)
    {
        if (key is "GemmTiles" or "KernelStyle" && TestProviders.Probe("opencl").Outcome != ProbeOutcome.Available) return; // checked after a device is found
        var e = Assert.Throws<ProviderUnavailableException>(() => new OpenClProviderFactory().Create(Section((key, value))));
        Assert.Equal("opencl", e.Provider);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Options_read_every_key()
    {
        var o = OpenClOptions.From(Section(("Platform", " 1 "), ("DeviceType", "GPU"), ("DeviceIndex", "2"), ("LibraryPath", " /opt/libOpenCL.so.1 ")));
        Assert.Equal(new OpenClOptions { Platform = "1", DeviceType = "gpu", DeviceIndex = 2, LibraryPath = "/opt/libOpenCL.so.1" }, o);
        Assert.Equal(new OpenClOptions(), OpenClOptions.From(Section()));
    }

    [ProviderFact("opencl")]
    public void A_platform_that_does_not_exist_lists_the_real_ones()
    {
        var e = Assert.Throws<ProviderUnavailableException>(() =>
            new OpenClProviderFactory().Create(Section(("Platform", "No Such Vendor"))));
        Assert.Contains("No Such Vendor", e.Reason);
        Assert.Contains(fixture.Provider.Info.Details["platform"].Split(" (")[0], e.Reason);
    }

    [ProviderFact("opencl")]
    public void A_device_index_past_the_end_says_how_many_match()
    {
        var e = Assert.Throws<ProviderUnavailableException>(() =>
            new OpenClProviderFactory().Create(Section(("DeviceIndex", "99"))));
        Assert.Contains("DeviceIndex is 99", e.Reason);
    }

    [ProviderFact("opencl")]
    public void The_provider_reports_its_device()
    {
        var info = fixture.Provider.Info;
        Assert.Equal("opencl", info.Name);
        Assert.False(string.IsNullOrWhiteSpace(info.Device));
        Assert.True(info.Threads > 0);
        foreach (string key in new[] { "platform", "device type", "compute units", "driver version", "global memory", "library", "gemm tiles" })
            Assert.False(string.IsNullOrWhiteSpace(info.Details[key]), key);
        Assert.NotNull(OpenClLibrary.Loaded);
        Assert.Contains(OpenClLibrary.Loaded.File, info.Details["library"]);
        Assert.Equal("Silk.NET.OpenCL", info.Details["binding"]);
    }

    [ProviderFact("opencl")]
    public void The_device_type_setting_picks_a_device_of_that_type()
    {
        string type = fixture.Provider.Info.Details["device type"].ToLowerInvariant();
        if (type is not ("cpu" or "gpu")) return;
        using var p = (OpenClProvider)new OpenClProviderFactory().Create(Section(("DeviceType", type)));
        Assert.Equal(fixture.Provider.Info.Details["device type"], p.Info.Details["device type"]);
    }

    [ProviderFact("opencl")]
    public void A_kernel_that_does_not_compile_throws_with_the_build_log()
    {
        const string source = "__kernel void broken(__global float* x) { x[0] = no_such_identifier; }";
        var e = Assert.Throws<OpenClException>(() => fixture.Provider.Runtime.BuildProgram(source, ""));
        Assert.Equal("clBuildProgram", e.Call);
        Assert.Equal(ClStatus.BuildProgramFailure, e.Status);
        Assert.NotNull(e.BuildLog);
        Assert.Contains("no_such_identifier", e.BuildLog);
        Assert.Contains("Build log:", e.Message);
    }

    [ProviderFact("opencl")]
    public void An_unknown_kernel_name_is_reported_by_name()
    {
        using var program = fixture.Provider.Runtime.BuildProgram("__kernel void present(__global float* x) { x[0] = 1.0f; }", "");
        var e = Assert.Throws<OpenClException>(() => fixture.Provider.Runtime.CreateKernel(program, "absent"));
        Assert.Equal("CL_INVALID_KERNEL_NAME", e.StatusName);
        Assert.Contains("absent", e.Message);
    }

    [ProviderFact("opencl")]
    public void The_program_is_built_once_per_provider()
    {
        var p = fixture.Provider;
        p.EnsureCompiled();
        var first = p.ProgramBuildTime;
        Assert.True(first > TimeSpan.Zero);
        using var x = p.Allocate(new TensorShape(4));
        p.ReluForward(x, x);
        p.EnsureCompiled();
        Assert.Equal(first, p.ProgramBuildTime);
    }
}
