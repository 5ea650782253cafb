using CnnNative.Core;
using CnnNative.Providers.OpenBlas;
using CnnNative.Providers.OpenBlas.Interop;

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

    [OpenBlasFact]
    public void TheSystemLibraryLoadsAndDescribesItself()
    {
        var info = OpenBlasLibrary.Load(null, AppContext.BaseDirectory);

        Assert.StartsWith("OpenBLAS ", info.Config);
        Assert.False(OpenBlasBuild.IsIlp64(info.Config));
        Assert.True(File.Exists(info.File), $"'{info.File}' should be the mapped library file");
        Assert.Same(info, OpenBlasLibrary.Load(null, AppContext.BaseDirectory));
    }

    [OpenBlasFact]
    public void ASecondDifferentLibraryInTheSameProcessIsRefusedWithTheReason()
    {
        var loaded = OpenBlasLibrary.Load(null, AppContext.BaseDirectory);
        string other = typeof(object).Assembly.Location; // exists, and is certainly not the loaded OpenBLAS

        var e = Assert.Throws<ProviderUnavailableException>(() =>
            OpenBlasLibrary.Load(new LibrarySetting(other, OpenBlasSettings.LibraryPathSetting), AppContext.BaseDirectory));

        Assert.Contains(other, e.Message);
        Assert.Contains("already uses OpenBLAS from '" + loaded.File + "'", e.Message);
    }

    [OpenBlasFact]
    public void TheSameFileConfiguredExplicitlyIsAccepted()
    {
        var loaded = OpenBlasLibrary.Load(null, AppContext.BaseDirectory);
        Assert.Same(loaded, OpenBlasLibrary.Load(new LibrarySetting(loaded.File, "X"), AppContext.BaseDirectory));
    }
}
