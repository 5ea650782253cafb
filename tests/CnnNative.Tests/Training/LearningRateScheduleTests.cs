using CnnNative.Nn.Training;

namespace CnnNative.Tests.Training;

/// <summary>Each schedule's rate at its landmarks, the warm-up ramp, and refusal of bad values.</summary>
public sealed class LearningRateScheduleTests
{
    private const int PerEpoch = 10;
    private const long Total = 100; // 10 epochs of 10 steps

    private static double Rate(LearningRateSchedule s, long step) => s.RateAt(step, Total, PerEpoch, 0.1f);

    [Fact]
    public void Constant_is_the_base_rate_and_leaves_the_optimizer_alone()
    {
        Assert.True(LearningRateSchedule.Constant.IsConstant);
        Assert.False(LearningRateSchedule.For("constant", warmupEpochs: 1).IsConstant);
        Assert.Equal(0.1f, LearningRateSchedule.Constant.RateAt(57, Total, PerEpoch, 0.1f));
    }

    [Fact]
    public void Step_multiplies_by_gamma_every_step_epochs()
    {
        var s = LearningRateSchedule.For("step") with { StepEpochs = 3, Gamma = 0.5 };
        Assert.Equal(0.1, Rate(s, 0), 6);
        Assert.Equal(0.1, Rate(s, 29), 6);
        Assert.Equal(0.05, Rate(s, 30), 6);
        Assert.Equal(0.025, Rate(s, 60), 6);
    }

    [Fact]
    public void Cosine_falls_from_the_base_rate_to_the_final_fraction_at_the_last_step()
    {
        var s = LearningRateSchedule.For("Cosine") with { FinalFraction = 0.01 };
        Assert.Equal("cosine", s.Name);
        Assert.Equal(0.1, Rate(s, 0), 6);
        Assert.Equal(0.001, Rate(s, 99), 6);
        for (long t = 1; t < Total; t++) Assert.True(Rate(s, t) <= Rate(s, t - 1), $"step {t}");
        Assert.Equal(0.001, Rate(s, 500), 6); // past the end (a resumed run with fewer epochs) stays at the floor
    }

    [Fact]
    public void One_cycle_rises_from_a_25th_to_the_base_rate_then_anneals()
    {
        var s = LearningRateSchedule.For("one-cycle");
        Assert.Equal(0.004, Rate(s, 0), 6);
        Assert.Equal(0.1, Rate(s, 30), 6); // the peak after 30 % of the steps
        Assert.True(Rate(s, 15) > Rate(s, 14) && Rate(s, 45) < Rate(s, 30));
        Assert.Equal(0.0, Rate(s, 99), 6);
    }

    [Fact]
    public void Warm_up_climbs_linearly_to_the_schedules_first_rate_then_the_schedule_spans_the_rest()
    {
        var s = LearningRateSchedule.For("cosine", warmupEpochs: 2); // 20 warm-up steps
        Assert.Equal(0.1 * 1 / 21, Rate(s, 0), 6);
        Assert.Equal(0.1 * 10 / 21, Rate(s, 9), 6);
        Assert.Equal(0.1, Rate(s, 20), 6);     // the cosine starts here...
        Assert.Equal(0.0, Rate(s, 99), 6);     // ...and still ends at the last step
        for (long t = 1; t <= 20; t++) Assert.True(Rate(s, t) > Rate(s, t - 1), $"step {t}");
    }

    [Theory]
    [InlineData("linear", 0, "Schedule", "'linear' is unknown; choose one of constant, step, cosine, one-cycle")]
    [InlineData("cosine", -1, "WarmupEpochs", "must be zero or a positive number of epochs")]
    public void Bad_values_name_the_setting(string name, double warmup, string setting, string problem)
    {
        var e = Assert.Throws<TrainingSetupException>(() => (new LearningRateSchedule { Name = name, WarmupEpochs = warmup }).Validate());
        Assert.Equal(setting, e.Setting);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void The_trainer_applies_the_schedule_at_every_step_and_records_the_rate_per_epoch()
    {
        using var provider = new CnnNative.Providers.Managed.ManagedProvider(2);
        using var network = SyntheticData.Build(provider, seed: 3);
        var settings = new TrainingSettings
        {
            Epochs = 2, BatchSize = 32, Seed = 3,
            Optimizer = TrainingSettings.OptimizerFor("sgd", 0.1f),
            Schedule = LearningRateSchedule.For("cosine", warmupEpochs: 0.5),
        };
        using var trainer = new Trainer(network, SyntheticData.Train(), SyntheticData.Test(), settings);
        var seen = new List<float>();
        var result = trainer.Run(new RateProbe(seen));

        Assert.Equal(26, seen.Count);
        for (int t = 0; t < seen.Count; t++) Assert.Equal(trainer.LearningRateAt(t), seen[t]);
        Assert.Equal(0.1f * 1 / 8, seen[0], 6); // round(0.5 × 13) = 7 warm-up steps
        Assert.Equal(seen[12], (float)result.History[0].LearningRate);
        Assert.Equal(0.0, result.History[1].LearningRate, 6);
    }

    /// <summary>Reads the optimizer's rate after each step (the rate that step used).</summary>
    private sealed class RateProbe(List<float> seen) : TrainingCallback
    {
        public override void BatchDone(in BatchProgress progress) => seen.Add(Trainer.Optimizer.LearningRate);
    }
}
