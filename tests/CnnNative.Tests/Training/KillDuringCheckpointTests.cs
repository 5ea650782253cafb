using System.Diagnostics;
using System.Text.Json;
using CnnNative.Cli;
using CnnNative.Nn.Checkpoints;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Cli;
using CnnNative.Tests.Data;
using CnnNative.Training;
using Xunit.Abstractions;

namespace CnnNative.Tests.Training;

/// <summary>
/// `cnn train` in a child process, killed with SIGKILL at random moments while it rewrites a
/// ~1 MB checkpoint every epoch (a fresh seed each run, printed). After every kill the
/// checkpoint must load; the next run in the folder (a --resume) must refuse nothing, remove
/// the killed writer's temporary files and find run.json marked "interrupted".
/// </summary>
[Collection(TrainedRunCollection.Name)]
public sealed class KillDuringCheckpointTests(TrainedRunFixture run, ITestOutputHelper output) : IDisposable
{
    private const int Kills = 4;
    private readonly TempFolder _dir = new("kill");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Checkpoint_survives_kill_9_and_the_next_run_cleans_up()
    {
        if (!OperatingSystem.IsLinux()) return; // Process.Kill is SIGKILL on Unix; the figures are for Linux
        string model = _dir.File("wide.json");
        // A wide hidden layer makes each checkpoint ~1 MB (weights + Adam state), so kills land in writes.
        File.WriteAllText(model, """{ "name": "wide", "layers": [ { "type": "affine", "units": 1500 }, { "type": "relu" }, { "type": "affine", "units": 10 } ] }""");
        string folder = _dir.File("run");
        int seed = Environment.TickCount;
        var random = new Random(seed);
        int temporariesSeen = 0;
        output.WriteLine($"seed {seed}");

        for (int kill = 0; kill < Kills; kill++)
        {
            string[] args = kill == 0
                ? ["train", "--model", model, "--data", run.Data, "--epochs", "100000", "--batch-size", "100", "--output", folder]
                : ["train", "--resume", Path.Combine(folder, ModelCheckpoint.FileName), "--data", run.Data, "--epochs", "100000"];
            using var child = StartCnn(args);
            WaitForFirstEpoch(child, folder);
            Thread.Sleep(random.Next(0, 400));
            child.Kill();
            child.WaitForExit();

            int temporaries = Directory.GetFiles(folder, ".*.tmp").Length;
            temporariesSeen += temporaries;
            AssertCheckpointLoads(folder);
            var info = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, RunFolder.RunInfoFileName)));
            // What the killed process left: "running", or "interrupted" when it died between taking
            // the folder (which repairs the previous kill's run.json) and writing its own.
            Assert.Contains(info.RootElement.GetProperty("status").GetString(), new[] { "running", "interrupted" });
            output.WriteLine($"kill {kill + 1}: {temporaries} temporary file(s) left by the killed writer; checkpoint loads");
        }

        // The next run in the folder: taking it repairs run.json and removes the temporaries.
        using (var taken = RunFolderLock.Acquire(folder))
        {
            Assert.True(taken.TookOverStaleLock);
            Assert.True(taken.MarkedInterrupted);
        }
        Assert.Empty(Directory.GetFiles(folder, ".*.tmp"));
        Assert.Equal("interrupted", JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, RunFolder.RunInfoFileName))).RootElement.GetProperty("status").GetString());
        using var cli = TrainedRunFixture.NewCli();
        var resumed = cli.Run("eval", "--checkpoint", Path.Combine(folder, ModelCheckpoint.FileName), "--data", run.Data);
        Assert.True(resumed.Exit == ExitCodes.Success, resumed.Err);
        output.WriteLine($"{Kills} kills, {temporariesSeen} temporary files seen after kills, none after the next run");
    }

    private static void AssertCheckpointLoads(string folder)
    {
        var checkpoint = ModelCheckpoint.Open(Path.Combine(folder, ModelCheckpoint.FileName));
        using var provider = new ManagedProvider(1);
        using var network = checkpoint.LoadNetwork(provider);
        Assert.NotNull(network);
    }

    /// <summary>Training is under way once the first epoch's checkpoint exists (the initial one is written first).</summary>
    private static void WaitForFirstEpoch(Process child, string folder)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string metrics = Path.Combine(folder, "metrics.csv");
        long before = File.Exists(metrics) ? new FileInfo(metrics).Length : 0;
        while (DateTime.UtcNow < deadline && !child.HasExited)
        {
            if (File.Exists(metrics) && new FileInfo(metrics).Length > before) return;
            Thread.Sleep(20);
        }
        Assert.False(child.HasExited, $"cnn train exited early with {(child.HasExited ? child.ExitCode : 0)}: {child.StandardError.ReadToEnd()}");
        Assert.Fail("cnn train did not finish an epoch within 120 s");
    }

    private static Process StartCnn(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cnn.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["CNN_Compute__Provider"] = "managed";
        start.Environment["CNN_Compute__Managed__Threads"] = "1";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }
}
