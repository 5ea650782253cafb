using System.Diagnostics;

namespace CnnNative.Tests.Distributed;

/// <summary>
/// Runs the <c>cnn</c> tool built beside the tests, alone or as ranks under Open MPI's
/// <c>mpirun</c> (Debian's <c>openmpi-bin</c>). <c>CNN_REQUIRE_MPI=1</c> (CI) turns "mpirun is
/// not installed, skipped" into a failure.
/// </summary>
internal static class Mpirun
{
    public const string RequireVariable = "CNN_REQUIRE_MPI";

    public static string? Executable { get; } = new[] { "/usr/bin/mpirun", "/usr/local/bin/mpirun" }.FirstOrDefault(File.Exists);

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    private static string Cnn => Path.Combine(AppContext.BaseDirectory, "cnn.dll");

    /// <summary>`cnn ARGS` in one process; returns exit code and both outputs.</summary>
    public static (int Code, string Output) Cnn1(params string[] args) => Run("dotnet", [Cnn, .. args]);

    /// <summary>`mpirun -np RANKS cnn ARGS`, all traffic on this machine (shared memory), root allowed.</summary>
    public static (int Code, string Output) CnnRanks(int ranks, params string[] args)
    {
        string mpirun = Executable ?? throw new InvalidOperationException(
            $"{RequireVariable}=1 but mpirun was not found; install it with apt-get install openmpi-bin libopenmpi3.");
        return Run(mpirun,
        [
            "--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(),
            "--mca", "btl", "self,vader", "--mca", "oob_tcp_if_include", "lo",
            "-x", "CNN_Compute__Provider", "-x", "CNN_Compute__Managed__Threads",
            "dotnet", Cnn, .. args,
        ]);
    }

    private static (int Code, string Output) Run(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        // One thread per process: two ranks on two cores, and the same kernels in both runs.
        start.Environment["CNN_Compute__Provider"] = "managed";
        start.Environment["CNN_Compute__Managed__Threads"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 4 minutes.");
        }
        return (process.ExitCode, output.Result + error.Result);
    }
}

/// <summary>A fact that needs mpirun: skipped with the reason where Open MPI is missing, unless <c>CNN_REQUIRE_MPI=1</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (Mpirun.Executable is null && !Mpirun.Required)
            Skip = $"Open MPI's mpirun is not installed (apt-get install openmpi-bin libopenmpi3); {Mpirun.RequireVariable}=1 makes this a failure";
    }
}
