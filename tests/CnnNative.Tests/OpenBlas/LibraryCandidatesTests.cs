using CnnNative.Providers.OpenBlas.Interop;

namespace CnnNative.Tests.OpenBlas;

public sealed class LibraryCandidatesTests
{
    [Fact]
    public void DiscoveryTriesTheRuntimesFolderBeforeTheSystemNames()
    {
        var candidates = LibraryCandidates.Discover("/app");
        string rid = LibraryCandidates.RuntimeIdentifiers()[0];
        string first = LibraryCandidates.SystemNames()[0];

        Assert.Equal(Path.Combine("/app", "runtimes", rid, "native", first), candidates[0].Target);
        Assert.True(candidates[0].IsPath);
        int firstSystem = candidates.FindIndex(c => !c.IsPath);
        Assert.True(firstSystem > 0);
        Assert.Equal(first, candidates[firstSystem].Target);
        Assert.All(candidates.Take(firstSystem), c => Assert.StartsWith(Path.Combine("/app", "runtimes"), c.Target));
    }

    [Fact]
    public void OnLinuxTheVersionedSonameComesFirst()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal(["libopenblas.so.0", "libopenblas.so"], LibraryCandidates.SystemNames());
    }

    [Fact]
    public void PortableRuntimeIdentifierIsAlwaysTried()
    {
        var rids = LibraryCandidates.RuntimeIdentifiers();
        Assert.Contains(rids, r => r.EndsWith("-" + System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), StringComparison.Ordinal));
    }

    [Fact]
    public void ASettingThatIsAFileIsOneAbsolutePath()
    {
        var candidates = LibraryCandidates.FromSetting("some/dir/libopenblas.so.0", "X");
        var only = Assert.Single(candidates);
        Assert.True(only.IsPath);
        Assert.True(Path.IsPathRooted(only.Target));
        Assert.Equal("X", only.Origin);
    }

    [Fact]
    public void ASettingThatIsAFolderTriesEachSystemName()
    {
        string folder = Directory.CreateTempSubdirectory("cnn-openblas-").FullName;
        try
        {
            var candidates = LibraryCandidates.FromSetting(folder, "X");
            Assert.Equal(LibraryCandidates.SystemNames().Select(n => Path.Combine(folder, n)), candidates.Select(c => c.Target));
        }
        finally { Directory.Delete(folder); }
    }

    [Fact]
    public void ABareNameGoesToTheSystemLoader()
    {
        var only = Assert.Single(LibraryCandidates.FromSetting("libopenblasp-r0.3.21.so", "X"));
        Assert.False(only.IsPath);
        Assert.Equal("libopenblasp-r0.3.21.so", only.Target);
    }
}
