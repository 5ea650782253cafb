using System.Runtime.InteropServices;
using CnnNative.Core;
using CnnNative.Core.Native;
using CnnNative.Providers.OpenCl;
using CnnNative.Providers.OpenCl.Interop;
using CnnNative.Tests.Infrastructure;
using CnnNative.Tests.OpenBlas;

namespace CnnNative.Tests.OpenCl;

/// <summary>
/// The explained library search that feeds Silk.NET. Each test names its candidates
/// explicitly, so it holds whether or not this process has bound an OpenCL library already.
/// </summary>
public sealed class OpenClLibrarySearchTests
{
    [Fact]
    public void A_missing_configured_file_is_reported_as_missing_with_the_setting_and_the_fix()
    {
        string missing = Path.Combine(Path.GetTempPath(), "cnn-no-such-dir", "libOpenCL.so.1");
        var e = Assert.Throws<ProviderUnavailableException>(() =>
            OpenClLibrary.Load(new LibrarySetting(missing, OpenClLibrary.LibraryPathSetting), AppContext.BaseDirectory));
        Assert.Equal("opencl", e.Provider);
        Assert.Contains(missing + " (Compute:OpenCl:LibraryPath): file does not exist", e.Message);
        Assert.Contains("Fix or remove Compute:OpenCl:LibraryPath", e.Fix);
    }

    [Fact]
    public void The_setting_reaches_the_search_through_the_factory()
    {
        var e = Assert.Throws<ProviderUnavailableException>(() =>
            new OpenClProviderFactory().Create(new OpenClOptions { LibraryPath = "/no/such/dir/libOpenCL.so.1" }));
        Assert.Contains("/no/such/dir/libOpenCL.so.1 (Compute:OpenCl:LibraryPath): file does not exist", e.Message);
    }

    [Fact]
    public void The_environment_variable_is_the_fallback_for_the_key()
    {
        var environment = new Dictionary<string, string?> { [OpenClLibrary.LibraryEnvironmentVariable] = " /opt/ocl/libOpenCL.so.1 " };
        Assert.Equal(new LibrarySetting("/opt/ocl/libOpenCL.so.1", "CNN_OPENCL_LIBRARY"), OpenClLibrary.SettingFrom(null, n => environment.GetValueOrDefault(n)));
        Assert.Equal(new LibrarySetting("x.so", "Compute:OpenCl:LibraryPath"), OpenClLibrary.SettingFrom("x.so", n => environment.GetValueOrDefault(n)));
        Assert.Null(OpenClLibrary.SettingFrom(" ", _ => null));
    }

    [FileFact("/proc/self/maps")] // Linux, where glibc's libm.so.6 always exists
    public void A_library_that_is_not_OpenCL_is_refused_and_never_reported_as_loaded()
    {
        // A real shared library under OpenCL's name: it loads, but lacks the entry points.
        nint libm = NativeLibrary.Load("libm.so.6");
        string libmFile = LoadedFile.Describe(NativeLibrary.GetExport(libm, "cos"), "libm.so.6");
        string folder = Directory.CreateTempSubdirectory("cnn-fake-opencl-").FullName;
        try
        {
            File.Copy(libmFile, Path.Combine(folder, "libOpenCL.so.1"));
            var e = Assert.Throws<ProviderUnavailableException>(() =>
                OpenClLibrary.Load(new LibrarySetting(folder, "CNN_OPENCL_LIBRARY"), AppContext.BaseDirectory));
            Assert.Contains(Path.Combine(folder, "libOpenCL.so.1") + " (CNN_OPENCL_LIBRARY (folder)): loaded, but it is not an OpenCL library (missing clGetPlatformIDs", e.Message);
            Assert.Contains(Path.Combine(folder, "libOpenCL.so") + " (CNN_OPENCL_LIBRARY (folder)): file does not exist", e.Message);
            Assert.DoesNotContain("loaded (", e.Message);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void Discovery_tries_the_app_runtimes_folder_then_the_versioned_soname()
    {
        var candidates = LibrarySearch.Discover("/app", OpenClLibrary.SystemNames(), []);
        string rid = LibrarySearch.RuntimeIdentifiers()[0];
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal(Path.Combine("/app", "runtimes", rid, "native", "libOpenCL.so.1"), candidates[0].Target);
        Assert.Equal(["libOpenCL.so.1", "libOpenCL.so"], candidates.Where(c => !c.IsPath).Select(c => c.Target));
    }

    [ProviderFact("opencl")]
    public void The_loaded_library_configured_explicitly_is_the_same_library()
    {
        var loaded = OpenClLibrary.Load(null, AppContext.BaseDirectory);
        Assert.True(File.Exists(loaded.File), $"'{loaded.File}' should be the mapped library file");
        Assert.Same(loaded, OpenClLibrary.Load(new LibrarySetting(loaded.File, "X"), AppContext.BaseDirectory));
        Assert.Contains("loaded (", OpenClLibrary.DescribeAttempts());
    }
}
