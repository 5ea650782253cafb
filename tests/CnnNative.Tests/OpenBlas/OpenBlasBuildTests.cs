using CnnNative.Providers.OpenBlas;

namespace CnnNative.Tests.OpenBlas;

public sealed class OpenBlasBuildTests
{
    [Theory]
    [InlineData("OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64")] // Debian 12 libopenblas0-pthread
    [InlineData("OpenBLAS 0.3.26 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=128")]
    [InlineData("OpenBLAS 0.3.21 NO_AFFINITY SKYLAKEX SINGLE_THREADED")]
    [InlineData("OpenBLAS 0.3.21 USE64BITINTS_NOT_A_REAL_FLAG Haswell")] // a longer token is not the marker
    [InlineData("")]
    public void Lp64BuildsAreAccepted(string config) => Assert.False(OpenBlasBuild.IsIlp64(config));

    [Theory]
    [InlineData("OpenBLAS 0.3.21  USE64BITINT NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64")] // Debian 12 libopenblas64-0-pthread
    [InlineData("USE64BITINT DYNAMIC_ARCH NO_AFFINITY Sandybridge")] // Julia's build reports the flags first
    [InlineData("OpenBLAS 0.3.23.dev USE64BITINT\tDYNAMIC_ARCH")] // a tab between flags
    [InlineData("OpenBLAS 0.3.21 use64bitint Haswell")]
    public void Ilp64BuildsAreDetected(string config) => Assert.True(OpenBlasBuild.IsIlp64(config));

    [Fact]
    public void RefusalNamesTheFileTheFlagAndWhatToInstall()
    {
        string message = OpenBlasBuild.Ilp64Refusal("/usr/lib/libopenblas64.so.0", "OpenBLAS 0.3.21 USE64BITINT Haswell");
        Assert.Contains("/usr/lib/libopenblas64.so.0", message);
        Assert.Contains("ILP64", message);
        Assert.Contains("USE64BITINT", message);
        Assert.Contains("LP64", message);
    }

    [Theory]
    [InlineData("OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64", "0.3.21")]
    [InlineData("USE64BITINT DYNAMIC_ARCH", "unknown")]
    public void VersionIsTheTokenAfterTheName(string config, string version) =>
        Assert.Equal(version, OpenBlasBuild.Version(config));

    [Theory]
    [InlineData(0, "sequential")]
    [InlineData(1, "pthreads")]
    [InlineData(2, "OpenMP")]
    [InlineData(7, "unknown (7)")]
    public void ParallelModeIsNamed(int value, string name) => Assert.Equal(name, OpenBlasBuild.ParallelMode(value));
}
