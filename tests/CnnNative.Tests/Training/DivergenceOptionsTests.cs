using CnnNative.Cli;
using CnnNative.Nn.Checkpoints;
using CnnNative.Nn.Training;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Cli;
using CnnNative.Tests.Data;
using CnnNative.Training;

namespace CnnNative.Tests.Training;

/// <summary>
/// `cnn train`'s divergence rule end to end: a learning rate of 1e4 ends "diverged" with exit 1
/// and the initial checkpoint kept, whatever the optimizer; the rule comes from
/// <c>Training:Divergence</c> and the three options, and bad values are refused naming their source.
/// </summary>
public sealed class DivergenceOptionsTests : IDisposable
{
    private readonly TinyTrainCli _tiny = new("divergence-cli", "data");

    public void Dispose() => _tiny.Dispose();

    private CliResult Train(string output, params string[] extra) =>
        _tiny.Cli.Run(["train", "--model", _tiny.ModelFile, "--data", _tiny.Data, "--epochs", "3", "--batch-size", "32", "--output", output, .. extra]);

    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("adam")]
    public void A_learning_rate_of_1e4_ends_diverged_with_exit_1_and_keeps_the_initial_checkpoint(string optimizer)
    {
        string output = _tiny.Dir.File($"lr-{optimizer}");
        var r = Train(output, "--optimizer", optimizer, "--lr", "1e4");

        Assert.Equal(ExitCodes.Failure, r.Exit);
        Assert.Contains("diverged when: loss > 3 × ln(classes); 3 epoch(s) at chance (margin 0.02); NaN/∞ loss", r.Out);
        Assert.Matches(@"^cnn: Training stopped: (epoch 1's mean loss [\d.]+ is above [\d.]+ \(3 × ln \d+, the loss of guessing\); the run has diverged|the loss became (NaN|infinite) in epoch 1).* The last good checkpoint \(the initial weights\) is kept in .*model\.safetensors\.$", r.ErrLines[^1]);
        var info = RunInfo.FromJson(File.ReadAllText(Path.Combine(output, "run.json")));
        Assert.Equal("diverged", info.Status);
        Assert.Equal(DivergenceRule.Default, info.Divergence);
        Assert.Equal(TrainingState.Start, TrainingCheckpoint.Read(ModelCheckpoint.Open(Path.Combine(output, "model.safetensors"))).State);
    }

    [Fact]
    public void The_options_set_the_rule_and_run_json_records_it()
    {
        // 1e-9 leaves the initial weights as they are; a margin of 0.8 counts that as chance level.
        string output = _tiny.Dir.File("stuck");
        var r = Train(output, "--optimizer", "sgd", "--lr", "1e-9", "--divergence-factor", "0", "--chance-epochs", "2", "--chance-margin", "0.8");

        Assert.Equal(ExitCodes.Failure, r.Exit);
        Assert.Contains("diverged when: 2 epoch(s) at chance (margin 0.8); NaN/∞ loss", r.Out);
        Assert.Contains("cnn: Training stopped: epochs 1–2 stayed at chance level", r.ErrLines[^1]);
        var info = RunInfo.FromJson(File.ReadAllText(Path.Combine(output, "run.json")));
        Assert.Equal("diverged", info.Status);
        Assert.Equal(new DivergenceRule { LossFactor = 0, ChanceEpochs = 2, ChanceMargin = 0.8 }, info.Divergence);
    }

    [Fact]
    public void Appsettings_and_variables_set_the_rule_and_an_option_wins()
    {
        _tiny.Cli.Settings("""{ "Compute": { "Provider": "managed", "Managed": { "Threads": 2 } }, "Training": { "Divergence": { "ChanceEpochs": 2, "ChanceMargin": 0.8 } } }""");
        _tiny.Cli.Variables["CNN_Training__Divergence__LossFactor"] = "0";
        var stuck = Train(_tiny.Dir.File("configured"), "--optimizer", "sgd", "--lr", "1e-9");
        Assert.Equal(ExitCodes.Failure, stuck.Exit);
        Assert.Contains("diverged when: 2 epoch(s) at chance (margin 0.8); NaN/∞ loss", stuck.Out);

        var off = Train(_tiny.Dir.File("option-wins"), "--optimizer", "sgd", "--lr", "1e-9", "--chance-epochs", "0");
        Assert.True(off.Exit == ExitCodes.Success, off.Err);
        Assert.Contains("diverged when: NaN/∞ loss only", off.Out);
    }

    [Theory]
    [InlineData("--chance-margin", "1", ExitCodes.Usage, "cnn: --chance-margin is 1; give a fraction from 0 up to (not including) 1 (default 0.02).")]
    [InlineData("--divergence-factor", "1", ExitCodes.Usage, "cnn: --divergence-factor is 1; give 0 (rule off) or a factor above 1")]
    [InlineData("--chance-epochs", "-2", ExitCodes.Usage, "cnn: --chance-epochs is -2; give 0 (rule off) up to 10000 epochs")]
    public void An_option_out_of_range_is_a_usage_error(string option, string value, int exit, string expected)
    {
        var r = Train(_tiny.Dir.File("bad-option"), option, value);
        Assert.Equal(exit, r.Exit);
        Assert.StartsWith(expected, r.ErrLines[^1]);
        Assert.False(Directory.Exists(_tiny.Dir.File("bad-option")));
    }

    [Theory]
    [InlineData("ChanceEpochs", "\"three\"", "cnn: Training:Divergence:ChanceEpochs (appsettings.json or CNN_Training__Divergence__ChanceEpochs) is 'three', not a number; fix or remove the setting.")]
    [InlineData("ChanceEpochs", "2.5", "cnn: Training:Divergence:ChanceEpochs (appsettings.json or CNN_Training__Divergence__ChanceEpochs) is 2.5; give a whole number of epochs.")]
    [InlineData("LossFactor", "-3", "cnn: Training:Divergence:LossFactor (appsettings.json or CNN_Training__Divergence__LossFactor) is -3; give 0 (rule off) or a factor above 1")]
    public void A_setting_out_of_range_is_refused_naming_the_key(string key, string json, string expected)
    {
        _tiny.Cli.Settings($$"""{ "Compute": { "Provider": "managed" }, "Training": { "Divergence": { "{{key}}": {{json}} } } }""");
        var r = Train(_tiny.Dir.File("bad-setting"));
        Assert.Equal(ExitCodes.Failure, r.Exit);
        Assert.StartsWith(expected, r.ErrLines[^1]);
    }
}
