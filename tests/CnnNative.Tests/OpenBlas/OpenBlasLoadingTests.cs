using CnnNative.Core;
using CnnNative.Core.Native;
using CnnNative.Providers.OpenBlas;
using CnnNative.Providers.OpenBlas.Interop;

using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenBlas;

/// <summary>How the library is found and how a failure explains itself.</summary>
public sealed class OpenBlasLoadingTests
{
    [Fact]
    public void AMissingConfiguredFileIsReportedAsMissingWithTheInstallLine()
    {
        string missing = Path.Combine(Path.GetTempPath(), "cnn-no-such-dir", "libopenblas.so.0");
        var setting = new LibrarySetting(missing, OpenBlasSettings.LibraryPathSetting);

        var e = Assert.Throws<ProviderUnavailableException>(() => OpenBlasLibrary.Load(setting, AppContext.BaseDirectory));

        Assert.Equal("openblas", e.Provider);
        Assert.Contains(missing + " (Compute:OpenBlas:LibraryPath): file does not exist", e.Message);
        Assert.Contains("Compute:OpenBlas:LibraryPath", e.Reason);
        if (OperatingSystem.IsLinux())
            Assert.Contains("apt-get install libopenblas0-pthread", e.Fix);
    }

    [Fact]
    public void AConfiguredFolderWithoutTheLibraryListsEveryNameTried()
    {
        string folder = Directory.CreateTempSubdirectory("cnn-openblas-empty-").FullName;
        try
        {
            var e = Assert.Throws<ProviderUnavailableException>(() =>
                OpenBlasLibrary.Load(new LibrarySetting(folder, "CNN_OPENBLAS_LIBRARY"), AppContext.BaseDirectory));
            foreach (string name in LibraryCandidates.SystemNames())
                Assert.Contains(Path.Combine(folder, name) + " (CNN_OPENBLAS_LIBRARY (folder)): file does not exist", e.Message);
        }
        finally { Directory.Delete(folder); }
    }

    [ProviderFact("openblas")]
    public void TheSystemLibraryLoadsAndDescribesItself()
    {
        var info = OpenBlasLibrary.Load(null, AppContext.BaseDirectory);

        Assert.StartsWith("OpenBLAS ", info.Config);
        Assert.False(OpenBlasBuild.IsIlp64(info.Config));
        Assert.True(File.Exists(info.File), $"'{info.File}' should be the mapped library file");
        Assert.Same(info, OpenBlasLibrary.Load(null, AppContext.BaseDirectory));
    }

    [FileFact("/proc/self/maps")] // i.e. Linux, where libm.so.6 (glibc's maths library) always exists
    public void ALibraryThatIsNotOpenBlasIsRefusedByItsMissingExports()
    {
        // Whether or not an OpenBLAS is bound already, the candidate itself is inspected.
        var e = Assert.Throws<ProviderUnavailableException>(() =>
            OpenBlasLibrary.Load(new LibrarySetting("libm.so.6", OpenBlasSettings.LibraryPathSetting), AppContext.BaseDirectory));

        Assert.Contains("libm.so.6 (Compute:OpenBlas:LibraryPath): loaded, but it is not OpenBLAS (missing cblas_sgemm, openblas_set_num_threads", e.Message);
    }

    // Debian's libopenblas64-0-pthread: not a project dependency, so this runs where it is installed.
    private const string Ilp64 = "/usr/lib/x86_64-linux-gnu/libopenblas64.so.0";

    [FileFact(Ilp64)]
    public void AnIlp64BuildIsRefusedWithTheReason()
    {
        var e = Assert.Throws<ProviderUnavailableException>(() =>
            OpenBlasLibrary.Load(new LibrarySetting(Ilp64, OpenBlasSettings.LibraryPathSetting), AppContext.BaseDirectory));

        Assert.Contains("64-bit-integer (ILP64, USE64BITINT) OpenBLAS build", e.Message);
        Assert.Contains("needs the LP64 build", e.Message);
    }

    [ProviderFact("openblas")]
    public void ASymlinkToTheLoadedFileIsTheSameLibrary()
    {
        var loaded = OpenBlasLibrary.Load(null, AppContext.BaseDirectory);
        string folder = Directory.CreateTempSubdirectory("cnn-openblas-link-").FullName;
        try
        {
            string link = Path.Combine(folder, "libopenblas.so.0");
            File.CreateSymbolicLink(link, loaded.File);
            Assert.Same(loaded, OpenBlasLibrary.Load(new LibrarySetting(folder, "X"), AppContext.BaseDirectory));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [ProviderFact("openblas")]
    public void TheSameFileConfiguredExplicitlyIsAccepted()
    {
        var loaded = OpenBlasLibrary.Load(null, AppContext.BaseDirectory);
        Assert.Same(loaded, OpenBlasLibrary.Load(new LibrarySetting(loaded.File, "X"), AppContext.BaseDirectory));
    }
}
