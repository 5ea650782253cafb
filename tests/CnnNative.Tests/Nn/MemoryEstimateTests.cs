using CnnNative.Cli;
using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Nn.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Cli;
using CnnNative.Tests.Data;
using CnnNative.Tests.Training;

namespace CnnNative.Tests.Nn;

/// <summary>The memory bound follows the machine unless a limit is given; a model above it is refused before any batch.</summary>
public sealed class MemoryEstimateTests : IDisposable
{
    private readonly ManagedProvider _provider = new(2);
    private readonly TempFolder _dir = new("memory-limit");

    public void Dispose()
    {
        _provider.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void The_automatic_limit_is_a_share_of_what_the_machine_has_available()
    {
        long available = MemoryEstimate.AvailableBytes();
        Assert.True(available > 0);
        long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (total > 0) Assert.True(available <= total, $"{available} > GC total {total}");
        // Both read the machine at different moments: allow for memory freed or taken in between.
        Assert.InRange(MemoryEstimate.AutomaticLimit(), (long)(0.5 * available * MemoryEstimate.AvailableShare), (long)(1.5 * available * MemoryEstimate.AvailableShare));
    }

    [Fact]
    public void A_model_above_a_given_limit_is_refused_with_the_figures_and_what_to_do()
    {
        var summary = SyntheticData.Model().Validate(new TensorShape(1, 8, 8), 4);
        long need = MemoryEstimate.TrainingBytes(summary, 32);
        MemoryEstimate.Check(summary, 32, need); // exactly enough passes

        var e = Assert.Throws<InvalidModelException>(() => MemoryEstimate.Check(summary, 32, need - 1));
        Assert.Matches(@"^The model would need about [\d.]+ MiB of memory at batch size 32 \([\d,]+ activation values per sample, [\d,]+ parameters\), more than the memory limit of [\d.]+ MiB given\. Use a smaller batch size or smaller layers \(less padding, fewer filters or units\), or set the limit \(Compute:MemoryLimitGiB\) if the machine has the memory\.$", e.Message);
    }

    [Fact]
    public void Without_a_limit_the_message_says_what_the_machine_has()
    {
        // Far more values per sample than any machine holds at batch 1e6.
        var summary = SyntheticData.Model().Validate(new TensorShape(1, 8, 8), 4);
        var e = Assert.Throws<InvalidModelException>(() => MemoryEstimate.Check(summary, 1_000_000_000));
        Assert.Matches(@"more than the [\d.]+ GiB allowed \(80 % of the [\d.]+ GiB this machine has available now\)\.", e.Message);
    }

    [Fact]
    public void The_trainer_checks_its_limit_when_the_run_starts()
    {
        var settings = new TrainingSettings { Epochs = 1, BatchSize = 32, Seed = 1 };
        using var network = SyntheticData.Build(_provider, 1);
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), settings) { MemoryLimit = 1024 };
        var e = Assert.Throws<InvalidModelException>(() => trainer.Run());
        Assert.Contains("more than the memory limit of 0.001 MiB given", e.Message);
        Assert.Empty(trainer.History);
    }

    [Theory]
    [InlineData("0.000001", ExitCodes.Failure, "cnn: The model would need about ")]
    [InlineData("0", ExitCodes.Failure, "cnn: Compute:MemoryLimitGiB is 0 (appsettings.json or CNN_Compute__MemoryLimitGiB); give a size in GiB above 0 and at most 1048576, or remove it to follow the machine's available memory.")]
    [InlineData("-2", ExitCodes.Failure, "cnn: Compute:MemoryLimitGiB is -2 (appsettings.json or CNN_Compute__MemoryLimitGiB)")]
    [InlineData("\"lots\"", ExitCodes.Failure, "cnn: The Compute settings are invalid: ")]
    public void The_setting_limits_cnn_train_or_is_refused(string value, int exit, string expected)
    {
        using var cli = new CliHarness();
        cli.Factories.Add(new ManagedProviderFactory());
        cli.Settings($$"""{ "Compute": { "Provider": "managed", "MemoryLimitGiB": {{value}}, "Managed": { "Threads": 2 } } }""");
        string data = _dir.File("data");
        if (!Directory.Exists(data)) SyntheticData.WriteIdxFolder(data);
        string model = _dir.File("tiny.json");
        File.WriteAllText(model, SyntheticData.ModelJson());

        var r = cli.Run("train", "--model", model, "--data", data, "--epochs", "1", "--batch-size", "32", "--output", _dir.File("run"));

        Assert.Equal(exit, r.Exit);
        Assert.StartsWith(expected, r.ErrLines[^1]);
        Assert.DoesNotMatch(@"System\.|Exception", r.Err);
        Assert.False(Directory.Exists(_dir.File("run")));
    }
}
