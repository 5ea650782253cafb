using CnnNative.Cli;
using CnnNative.Core;
using CnnNative.Nn.Training;
using CnnNative.Tests.Cli;
using CnnNative.Tests.Data;
using CnnNative.Training;

namespace CnnNative.Tests.Training;

/// <summary>One process per run folder; what a killed run leaves behind is repaired by the next one.</summary>
[Collection(TrainedRunCollection.Name)]
public sealed class RunFolderLockTests(TrainedRunFixture run) : IDisposable
{
    private readonly TempFolder _dir = new("run-lock");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_second_holder_is_refused_until_the_first_releases()
    {
        string folder = _dir.File("run");
        Directory.CreateDirectory(folder);

        using (RunFolderLock.Acquire(folder))
        {
            var e = Assert.Throws<TrainingSetupException>(() => RunFolderLock.Acquire(folder));
            Assert.Contains("is in use by another training process", e.Message);
            Assert.True(File.Exists(Path.Combine(folder, RunFolderLock.FileName)));
        }

        Assert.False(File.Exists(Path.Combine(folder, RunFolderLock.FileName))); // a clean release leaves no lock file
        using var again = RunFolderLock.Acquire(folder);
        Assert.False(again.TookOverStaleLock);
    }

    [Fact]
    public void A_killed_runs_lock_file_temporaries_and_running_status_are_taken_over_and_repaired()
    {
        string folder = run.CopyRun(_dir);
        File.WriteAllText(Path.Combine(folder, RunFolderLock.FileName), "99999999\n"); // left by a dead process
        string abandoned = Path.Combine(folder, ".model.safetensors.99999999.0badf00d.tmp");
        File.WriteAllBytes(abandoned, new byte[1000]);
        string runJson = Path.Combine(folder, RunFolder.RunInfoFileName);
        var info = RunInfo.FromJson(File.ReadAllText(runJson));
        AtomicFile.WriteAllText(runJson, (info with { Status = RunInfo.Running, EndTime = null, Message = null }).ToJson());

        using (var taken = RunFolderLock.Acquire(folder))
        {
            Assert.True(taken.TookOverStaleLock);
            Assert.Equal([abandoned], taken.RemovedTemporaries);
            Assert.True(taken.MarkedInterrupted);
        }

        Assert.False(File.Exists(abandoned));
        var repaired = RunInfo.FromJson(File.ReadAllText(runJson));
        Assert.Equal("interrupted", repaired.Status);
        Assert.Contains("killed or crashed", repaired.Message);
    }

    [Fact]
    public void A_live_writers_temporary_file_is_left_alone()
    {
        string folder = _dir.File("live");
        Directory.CreateDirectory(folder);
        string mine = Path.Combine(folder, $".metrics.csv.{Environment.ProcessId}.12345678.tmp");
        File.WriteAllText(mine, "x");

        Assert.Empty(AtomicFile.RemoveAbandoned(folder));
        Assert.True(File.Exists(mine));
    }

    [Fact]
    public void Train_refuses_a_folder_another_process_is_training_in_and_leaves_it_as_it_was()
    {
        string folder = _dir.File("busy");
        Directory.CreateDirectory(folder);
        string model = _dir.File("tiny.json");
        File.WriteAllText(model, SyntheticData.ModelJson());
        using var cli = TrainedRunFixture.NewCli();

        using (RunFolderLock.Acquire(folder))
        {
            var r = cli.Run("train", "--model", model, "--data", run.Data, "--epochs", "1", "--output", folder);
            Assert.Equal(ExitCodes.Failure, r.Exit);
            Assert.Contains("is in use by another training process", r.Err);
            Assert.Equal([Path.Combine(folder, RunFolderLock.FileName)], Directory.GetFiles(folder));
        }
    }

    [Fact]
    public void A_run_that_fails_to_start_leaves_no_folder_behind()
    {
        string folder = _dir.File("never");
        using var cli = TrainedRunFixture.NewCli();

        var r = cli.Run("train", "--model", "two-layer-net", "--data", run.Data, "--epochs", "0", "--output", folder);

        Assert.NotEqual(ExitCodes.Success, r.Exit);
        Assert.False(Directory.Exists(folder), r.Err);
    }
}
