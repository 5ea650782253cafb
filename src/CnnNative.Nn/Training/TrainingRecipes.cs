using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CnnNative.Nn.Training;

/// <summary>
/// A named way to train: a model preset, the training settings that go with it and, when the
/// recipe is about reaching an accuracy quickly, the test accuracy it is timed to
/// (<see cref="TargetAccuracy"/>). <c>cnn train --preset NAME</c> starts from it; every flag
/// given beside it overrides its value.
/// </summary>
/// <param name="Name">The recipe's name (<c>fast</c>).</param>
/// <param name="Model">The <see cref="ModelPresets"/> name of its model.</param>
/// <param name="Settings">Epochs, batch size, optimizer, learning rate and schedule; the seed is the default one.</param>
/// <param name="TargetAccuracy">The test accuracy the run stops at (<see cref="Training.TargetAccuracy"/>), or null to train every epoch.</param>
/// <param name="Purpose">What the recipe is for, a phrase for help texts.</param>
public sealed record TrainingRecipe(string Name, string Model, TrainingSettings Settings, double? TargetAccuracy, string Purpose)
{
    /// <summary>"fast-conv, adam lr 0.006 (one-cycle), batch 128, 4 epochs, stop at test accuracy 0.92: &lt;purpose&gt;" for help texts.</summary>
    public override string ToString()
    {
        var s = Settings;
        string schedule = s.Schedule.IsConstant ? "" : $" ({s.Schedule})";
        string target = TargetAccuracy is { } t ? string.Create(CultureInfo.InvariantCulture, $", stop at test accuracy {t}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Model}, {s.Optimizer.Name} lr {s.Optimizer.LearningRate}{schedule}, batch {s.BatchSize}, {s.Epochs} epochs{target}: {Purpose}");
    }
}

/// <summary>The built-in <see cref="TrainingRecipe"/>s.</summary>
public static class TrainingRecipes
{
    /// <summary>
    /// Fashion-MNIST to 0.92 test accuracy in the least time on a 2-core CPU: the
    /// <see cref="ModelPresets.FastConv"/> model, Adam at a peak rate of 0.006 under a one-cycle
    /// schedule over 4 epochs, batch 128, stopping once the test accuracy reaches 0.92 (the
    /// measured runs are in the README, "Fastest to 0.92": at 0.003 one seed in two ended at
    /// 0.919; at 0.006 seeds 1–3 ended at 0.925, 0.925 and 0.922).
    /// </summary>
    public static TrainingRecipe Fast { get; } = new(
        "fast",
        ModelPresets.FastConv,
        new TrainingSettings
        {
            Epochs = 4,
            BatchSize = 128,
            Optimizer = TrainingSettings.OptimizerFor("adam", 0.006f),
            Schedule = LearningRateSchedule.For("one-cycle"),
        },
        0.92,
        "the quickest route to 0.92 on Fashion-MNIST measured on a 2-core CPU");

    /// <summary>Every recipe, by name.</summary>
    public static IReadOnlyList<TrainingRecipe> All { get; } = [Fast];

    /// <summary>The recipe names.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(r => r.Name)];

    /// <summary>The recipe called <paramref name="name"/> (case-insensitive), or false.</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out TrainingRecipe? recipe)
    {
        ArgumentNullException.ThrowIfNull(name);
        recipe = All.FirstOrDefault(r => r.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
        return recipe is not null;
    }

    /// <summary>The recipe called <paramref name="name"/>; an unknown name gets a message listing them.</summary>
    public static TrainingRecipe Get(string name) =>
        TryGet(name, out var recipe)
            ? recipe
            : throw new TrainingSetupException($"Unknown training preset '{name}'. Presets: {string.Join(", ", Names)}.");
}
