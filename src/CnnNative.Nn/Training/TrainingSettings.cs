using System.Globalization;
using CnnNative.Core;
using CnnNative.Data;

namespace CnnNative.Nn.Training;

/// <summary>
/// The hyper-parameters of a training run: what run.json records and a checkpoint carries,
/// so that a resumed run continues with exactly the same settings.
/// </summary>
public sealed record TrainingSettings
{
    /// <summary>Epochs when none are given (5).</summary>
    public const int DefaultEpochs = 5;
    /// <summary>Samples per step when none are given (100, the book's).</summary>
    public const int DefaultBatchSize = 100;
    /// <summary>Seed of weights, shuffling and dropout when none is given (1).</summary>
    public const ulong DefaultSeed = 1;
    /// <summary>The optimizer when none is given: Adam with the book's settings.</summary>
    public const string DefaultOptimizer = "adam";

    /// <summary>Largest accepted values; anything beyond is a typo, not a plan.</summary>
    public const int MaxEpochs = 100_000;
    /// <summary>Largest accepted batch size (65 536).</summary>
    public const int MaxBatchSize = 65_536;

    /// <summary>Epochs to train in total (a resumed run counts the epochs already done).</summary>
    public int Epochs { get; init; } = DefaultEpochs;

    /// <summary>Samples per training step; the test set is evaluated in batches of the same size.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>The optimizer, its learning rate and weight decay.</summary>
    public OptimizerSettings Optimizer { get; init; } = OptimizerFor(DefaultOptimizer);

    /// <summary>Decides the initial weights, every epoch's shuffle, the dropout masks and the validation split.</summary>
    public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>How the learning rate moves from step to step (constant by default).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>
    /// The fraction of the training data held out (chosen by <see cref="Seed"/>) to measure
    /// validation loss and accuracy after every epoch — what early stopping and keep-best
    /// watch; never the test set. 0 holds nothing out.
    /// </summary>
    public double ValidationSplit { get; init; }

    /// <summary>
    /// How training images are changed as they enter a batch (shift, flip, erase; see
    /// <see cref="Data.Augmentation"/>), drawn from <see cref="Seed"/>, the epoch and the sample so
    /// that every provider and a resumed run see the same batches. Validation and test images are never changed.
    /// </summary>
    public Augmentation Augmentation { get; init; } = Augmentation.None;

    /// <summary>Largest accepted validation fraction: at least half the data keeps training.</summary>
    public const double MaxValidationSplit = 0.5;

    /// <summary>
    /// The learning rate an optimizer gets when none is given: Adam 0.001 and SGD 0.1 (the
    /// issue's anchors), RMSprop 0.001, Momentum, Nesterov and AdaGrad 0.01 (the book's).
    /// </summary>
    public static float DefaultLearningRate(string optimizer) => OptimizerSettings.Canonical(optimizer) switch
    {
        "sgd" => 0.1f,
        "adam" or "rmsprop" => 0.001f,
        _ => 0.01f,
    };

    /// <summary>The named optimizer with its default learning rate and the book's other defaults.</summary>
    public static OptimizerSettings OptimizerFor(string name, float? learningRate = null, float weightDecay = 0f) =>
        OptimizerSettings.For(name) with
        {
            LearningRate = learningRate ?? DefaultLearningRate(name),
            WeightDecay = weightDecay,
        };

    /// <summary>Checks every value; the message names the setting to fix (<see cref="TrainingSetupException.Setting"/>).</summary>
    public void Validate()
    {
        if (Epochs < 1 || Epochs > MaxEpochs)
            throw new TrainingSetupException(nameof(Epochs), $"must be between 1 and {MaxEpochs}, got {Epochs}.");
        if (BatchSize < 1 || BatchSize > MaxBatchSize)
            throw new TrainingSetupException(nameof(BatchSize), $"must be between 1 and {MaxBatchSize}, got {BatchSize}.");
        if (!(ValidationSplit >= 0 && ValidationSplit <= MaxValidationSplit))
            throw new TrainingSetupException(nameof(ValidationSplit), $"must be between 0 and {MaxValidationSplit}, got {ValidationSplit}.");
        ArgumentNullException.ThrowIfNull(Schedule);
        Schedule.Validate();
        if (Augmentation is null || Augmentation.Shift < 0 || Augmentation.Erase < 0)
            throw new TrainingSetupException(nameof(Augmentation), $"must give sizes of 0 or more pixels, got {Augmentation?.ToString() ?? "null"}.");
        ArgumentNullException.ThrowIfNull(Optimizer);
        try
        {
            Optimizer.Validate();
        }
        catch (ArgumentException e)
        {
            throw new TrainingSetupException(e.Message);
        }
    }

    /// <summary>"adam lr 0.001 (cosine), batch 100, 5 epochs, seed 1, validation 0.1" for logs.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Optimizer.Name} lr {Optimizer.LearningRate}{(Schedule.IsConstant ? "" : $" ({Schedule})")}{(Optimizer.WeightDecay > 0 ? $" weight decay {Optimizer.WeightDecay}" : "")}, batch {BatchSize}, {Plural.Of(Epochs, "epoch")}, seed {Seed}{(ValidationSplit > 0 ? $", validation {ValidationSplit}" : "")}{(Augmentation.IsNone ? "" : $", augment {Augmentation}")}");
}
