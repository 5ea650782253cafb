using CnnNative.Providers.OpenCl.Interop;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenCl;

/// <summary>The library search, without touching the process-wide resolver.</summary>
public sealed class OpenClLibrarySearchTests
{
    [Fact]
    public void Every_failed_candidate_is_recorded_and_nothing_throws()
    {
        var attempts = new List<string>();
        nint handle = OpenClLibrary.LoadFirst(["/no/such/dir/libOpenCL.so.1", "libOpenCL-missing.so.7"],
            typeof(OpenClLibrary).Assembly, null, attempts, out string? from);
        Assert.Equal(0, handle);
        Assert.Null(from);
        Assert.Equal(["/no/such/dir/libOpenCL.so.1: not found", "libOpenCL-missing.so.7: not found"], attempts);
    }

    [ProviderFact("opencl")]
    public void The_first_candidate_that_loads_wins()
    {
        var attempts = new List<string>();
        nint handle = OpenClLibrary.LoadFirst(["libOpenCL-missing.so.7", OpenClLibrary.LoadedFrom ?? "libOpenCL.so.1"],
            typeof(OpenClLibrary).Assembly, null, attempts, out string? from);
        Assert.NotEqual(0, handle);
        Assert.Equal(2, attempts.Count);
        Assert.EndsWith(": loaded", attempts[1]);
        Assert.NotNull(from);
    }
}
