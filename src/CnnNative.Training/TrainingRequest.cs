using CnnNative.Nn;
using CnnNative.Nn.Training;

namespace CnnNative.Training;

/// <summary>
/// What a user asked for (the options of <c>cnn train</c>); null means "not given": the
/// default for a fresh run, the checkpoint's value when resuming.
/// </summary>
public sealed record TrainingRequest
{
    /// <summary>The preset a fresh run trains when <see cref="Model"/> is not given.</summary>
    public const string DefaultModel = ModelPresets.SimpleConv;

    /// <summary>A preset name or the path of a JSON model file; default <see cref="DefaultModel"/>, or the checkpoint's model when resuming.</summary>
    public string? Model { get; init; }

    /// <summary>An MNIST-format folder or a folder of class folders of images; default Fashion-MNIST from Debian's package.</summary>
    public string? DataFolder { get; init; }

    /// <summary>Class names for an IDX folder (<c>--classes</c>); null: classes.txt, Fashion-MNIST's, or the label numbers.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>How a folder of images is decoded (size, channels, …); IDX folders ignore it. When resuming, size and channels come from the checkpoint.</summary>
    public CnnNative.Data.ImageFolders.ImageFolderOptions? Images { get; init; }

    /// <summary>The loss: "softmax-cross-entropy" or "mse" (<see cref="CnnNative.Nn.LossSpec.Types"/>); null: the model file's, else softmax cross-entropy.</summary>
    public string? Loss { get; init; }

    /// <summary>Label smoothing ε in [0, 1) of the softmax cross-entropy loss; null: the model file's, else 0.</summary>
    public float? LabelSmoothing { get; init; }

    /// <summary>Epochs to train in total; null: 5, or the checkpoint's when resuming.</summary>
    public int? Epochs { get; init; }

    /// <summary>Samples per step; null: 100, or the checkpoint's when resuming.</summary>
    public int? BatchSize { get; init; }

    /// <summary>An optimizer name ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"); null: adam, or the checkpoint's.</summary>
    public string? Optimizer { get; init; }

    /// <summary>The base learning rate; null: the optimizer's book default, or the checkpoint's.</summary>
    public float? LearningRate { get; init; }

    /// <summary>L2 weight decay on weights (not biases or batch-norm); null: 0, or the checkpoint's.</summary>
    public float? WeightDecay { get; init; }

    /// <summary>Seed of weights, shuffling, hold-out and dropout; null: 1, or the checkpoint's.</summary>
    public ulong? Seed { get; init; }

    /// <summary>The learning-rate schedule: constant (default), step, cosine or one-cycle.</summary>
    public string? Schedule { get; init; }

    /// <summary>Epochs of linear learning-rate warm-up before the schedule (default 0).</summary>
    public double? WarmupEpochs { get; init; }

    /// <summary>Fraction of the training data held out for validation (default 0: none).</summary>
    public double? ValidationSplit { get; init; }

    /// <summary>The input preprocessing by <see cref="CnnNative.Data.Preprocessing.Parse"/>'s name ("vgg"); null: none, or the checkpoint's when resuming.</summary>
    public string? Preprocess { get; init; }

    /// <summary>Augmentation of the training images in <see cref="CnnNative.Data.Augmentation.Parse"/>'s text form ("shift:2,flip,erase"); null: none, or the checkpoint's when resuming.</summary>
    public string? Augment { get; init; }

    /// <summary>Stop after this many epochs without improvement (validation loss, or training loss without a validation split); null never stops early.</summary>
    public int? Patience { get; init; }

    /// <summary>Which checkpoints the folder keeps: "last" (default), "best" or "both" (see <see cref="CheckpointsKept"/>).</summary>
    public string? Keep { get; init; }

    /// <summary>When a finite loss counts as divergence (<see cref="DivergenceRule"/>); null: <see cref="DivergenceRule.Default"/>. Already checked by the caller, which knows where each value came from.</summary>
    public DivergenceRule? Divergence { get; init; }

    /// <summary>The most memory the model may plan to use, in bytes (<see cref="MemoryEstimate"/>); null follows the machine's available memory.</summary>
    public long? MemoryLimit { get; init; }

    /// <summary>The run folder; default <c>runs/&lt;model&gt;-&lt;time&gt;</c>, or the checkpoint's folder when resuming.</summary>
    public string? Output { get; init; }

    /// <summary>A model.safetensors to continue from.</summary>
    public string? Resume { get; init; }

    /// <summary>
    /// A training recipe (<see cref="TrainingRecipes"/>, <c>fast</c>) whose model, settings and
    /// target accuracy fill in what this request leaves out (<see cref="WithPreset"/>); null for none.
    /// </summary>
    public string? Preset { get; init; }

    /// <summary>
    /// Stop after the first epoch whose test accuracy reaches this fraction and report the time
    /// it took (<see cref="Nn.Training.TargetAccuracy"/>); null trains every epoch. When resuming,
    /// the checkpoint's target unless given.
    /// </summary>
    public double? TargetAccuracy { get; init; }

    /// <summary>
    /// This request with the values its <see cref="Preset"/> supplies wherever it gives none —
    /// model, epochs, batch size, optimizer, learning rate (only with the recipe's optimizer),
    /// schedule and warm-up (only with the recipe's schedule), target accuracy; the request
    /// itself without a preset. A preset starts a fresh run: with <see cref="Resume"/> it is refused.
    /// </summary>
    public TrainingRequest WithPreset()
    {
        if (Preset is null) return this;
        if (Resume is not null)
            throw new TrainingSetupException(
                "--preset starts a fresh run, and a resumed run keeps its checkpoint's settings; drop --preset to continue the run, or --resume to start a new one.");
        var recipe = TrainingRecipes.Get(Preset);
        var settings = recipe.Settings;
        return this with
        {
            Model = Model ?? recipe.Model,
            Epochs = Epochs ?? settings.Epochs,
            BatchSize = BatchSize ?? settings.BatchSize,
            Optimizer = Optimizer ?? settings.Optimizer.Name,
            // Another optimizer's rate would be wrong for it: that optimizer's default applies.
            LearningRate = LearningRate ?? (Optimizer is null ? settings.Optimizer.LearningRate : null),
            WeightDecay = WeightDecay ?? (Optimizer is null ? settings.Optimizer.WeightDecay : null),
            Schedule = Schedule ?? settings.Schedule.Name,
            WarmupEpochs = WarmupEpochs ?? (Schedule is null ? settings.Schedule.WarmupEpochs : null),
            TargetAccuracy = TargetAccuracy ?? recipe.TargetAccuracy,
        };
    }

    /// <summary>
    /// The processes training this model together (data-parallel over MPI); null is a single
    /// process. Each takes its part of every batch, the gradients are averaged every step, and
    /// only rank 0 writes the run folder.
    /// </summary>
    public CnnNative.Distributed.ICommunicator? World { get; init; }
}
