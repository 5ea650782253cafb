namespace CnnNative.Distributed;

/// <summary>Chooses the communicator a process should train with.</summary>
public static class Communicators
{
    // Set by Open MPI's mpirun (OMPI_*), by PMIx launchers such as srun (PMIX_RANK) and by
    // Hydra-style launchers (PMI_SIZE): a process that sees none of them was started alone.
    private static readonly string[] LauncherVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"];

    /// <summary>True when a launcher such as <c>mpirun</c> started this process.</summary>
    public static bool LaunchedByMpi() =>
        LauncherVariables.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));

    /// <summary>
    /// The MPI world when started by <c>mpirun</c> (loading Open MPI, which must then be
    /// installed), otherwise a world of one that loads nothing — so a plain run needs no MPI.
    /// </summary>
    /// <exception cref="MpiUnavailableException">Started by a launcher but Open MPI cannot be loaded.</exception>
    public static ICommunicator FromEnvironment() =>
        LaunchedByMpi() ? MpiCommunicator.Initialize() : SingleProcessCommunicator.Instance;
}
