using System.Globalization;
using CnnNative.Nn.Checkpoints;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Data;
using CnnNative.Tests.Training;

namespace CnnNative.Tests.Distributed;

/// <summary>
/// Data-parallel training is the one-process run: two ranks with 50 samples each per step take
/// the steps of one process with batches of 100 in the same order, so the loss curve and the
/// final weights agree (to float rounding: the all-reduce sums in another order).
/// </summary>
public sealed class DataParallelEquivalenceTests : IDisposable
{
    private readonly TempFolder _dir = new("mpi-equivalence");

    public void Dispose() => _dir.Dispose();

    [MpiFact]
    public void Two_ranks_of_50_train_like_one_process_of_100()
    {
        // 5,000 samples in batches of 100: 50 steps.
        string data = _dir.File("data");
        SyntheticData.WriteIdxFolder(data, train: 5000, test: 200);
        string[] common = ["train", "--model", "digits-cnn", "--data", data, "--batch-size", "100", "--epochs", "1",
            "--optimizer", "sgd", "--lr", "0.1", "--seed", "3"];

        var one = Mpirun.Cnn1([.. common, "--output", _dir.File("one")]);
        Assert.True(one.Code == 0, one.Output);
        var two = Mpirun.CnnRanks(2, [.. common, "--output", _dir.File("two")]);
        Assert.True(two.Code == 0, two.Output);
        Assert.Contains("processes: 2 (data-parallel over MPI", two.Output);
        Assert.Contains("\"worldSize\": 2", File.ReadAllText(Path.Combine(_dir.File("two"), "run.json")));

        var lossOne = StepLosses(_dir.File("one"));
        var lossTwo = StepLosses(_dir.File("two"));
        Assert.True(lossOne.Count >= 15, $"{lossOne.Count} loss points");
        Assert.Equal(lossOne.Select(p => p.Step), lossTwo.Select(p => p.Step));
        for (int i = 0; i < lossOne.Count; i++)
            Assert.True(Math.Abs(lossOne[i].Loss - lossTwo[i].Loss) <= 1e-4,
                $"step {lossOne[i].Step}: one process {lossOne[i].Loss}, two ranks {lossTwo[i].Loss}");

        using var provider = new ManagedProvider(1);
        using var a = ModelCheckpoint.Open(Path.Combine(_dir.File("one"), "model.safetensors")).LoadNetwork(provider);
        using var b = ModelCheckpoint.Open(Path.Combine(_dir.File("two"), "model.safetensors")).LoadNetwork(provider);
        foreach (var t in a.NamedTensors())
        {
            var x = ResumeTests.Download(t.Tensor);
            var y = ResumeTests.Download(b.GetTensor(t.Name));
            for (int i = 0; i < x.Length; i++)
                Assert.True(Math.Abs(x[i] - y[i]) <= 1e-4 + 1e-4 * Math.Abs(x[i]), $"{t.Name}[{i}]: {x[i]} vs {y[i]}");
        }
    }

    [MpiFact]
    public void A_batch_that_leaves_a_rank_without_samples_is_refused_on_every_rank()
    {
        string data = _dir.File("data");
        SyntheticData.WriteIdxFolder(data, train: 401, test: 20); // last batch of 100: 1 sample for 2 ranks
        var run = Mpirun.CnnRanks(2, "train", "--model", "digits-cnn", "--data", data, "--batch-size", "100", "--epochs", "1", "--output", _dir.File("run"));
        Assert.NotEqual(0, run.Code);
        Assert.Contains("--batch-size 100 cannot be shared by 2 processes: The last batch of an epoch holds 1 samples", run.Output);
        Assert.DoesNotContain("   at ", run.Output); // no stack trace
    }

    private static List<(long Step, double Loss)> StepLosses(string run)
    {
        var points = new List<(long, double)>();
        foreach (string line in File.ReadLines(Path.Combine(run, "steps.csv")).Skip(1))
        {
            var cells = line.Split(',');
            points.Add((long.Parse(cells[0], CultureInfo.InvariantCulture), double.Parse(cells[1], CultureInfo.InvariantCulture)));
        }
        return points;
    }
}
