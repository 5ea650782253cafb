using CnnNative.Distributed;
using CnnNative.Distributed.Interop;

namespace CnnNative.Tests.Distributed;

public class MpiBindingTests
{
    [Fact]
    public void Error_codes_carry_the_mpi_h_names()
    {
        var e = new MpiException("MPI_Allreduce", 2, "invalid count argument");
        Assert.Equal("MPI_ERR_COUNT", e.ErrorName);
        Assert.Contains("MPI_Allreduce failed with MPI_ERR_COUNT (2): invalid count argument", e.Message);
        Assert.Equal("MPI error 54", MpiException.NameOf(54));
    }

    [Fact]
    public void An_explicit_library_setting_is_the_only_candidate()
    {
        Assert.Equal(["/opt/mpi/lib/libmpi.so.40"], MpiLibrary.Candidates("/opt/mpi/lib/libmpi.so.40"));
        if (OperatingSystem.IsLinux())
            Assert.Equal(["libmpi.so.40", "libmpi.so"], MpiLibrary.Candidates(null));
    }

    [Fact]
    public void Nothing_loaded_lists_every_attempt_and_the_install_command()
    {
        var e = MpiUnavailableException.NothingLoaded(null,
            [new MpiLoadAttempt("libmpi.so.40", "not found by the system loader"), new MpiLoadAttempt("libmpi.so", "not found by the system loader")]);
        Assert.StartsWith("Distributed training is not available: no usable Open MPI library", e.Message);
        Assert.Contains("tried libmpi.so.40: not found by the system loader", e.Message);
        Assert.Contains("apt-get install -y openmpi-bin libopenmpi3", e.Message);
    }

    [Fact]
    public void A_process_started_without_a_launcher_is_a_world_of_one_that_loads_nothing()
    {
        if (Communicators.LaunchedByMpi()) return; // the test host itself under mpirun: nothing to say
        var world = Communicators.FromEnvironment();
        Assert.Same(SingleProcessCommunicator.Instance, world);
        float[] values = [1f, 2f];
        world.AllReduceSum(values);
        Assert.Equal([1f, 2f], values);
        Assert.Null(MpiLibrary.LoadedFrom);
    }
}
