using System.Globalization;
using CnnNative.Nn.Training;
using Spectre.Console;

namespace CnnNative.Cli.Commands;

/// <summary>
/// Training progress on a terminal: one Spectre.Console bar over every remaining batch of the
/// run (so its percentage and time left are the run's, and say so: <see cref="TrainProgressColumn"/>),
/// described with the epoch and the running loss and accuracy;
/// each finished epoch is printed above the bar as a line.
/// </summary>
internal sealed class TrainProgressBar(ProgressContext context, IAnsiConsole console) : TrainingCallback
{
    private ProgressTask? _task;
    private int _epochs;

    public override void Started(TrainingStart start)
    {
        _epochs = start.Epochs;
        double remaining = (double)(start.Epochs - start.FirstEpoch + 1) * start.BatchesPerEpoch - start.FirstBatch;
        _task = context.AddTask(Describe(start.FirstEpoch, "starting"), maxValue: Math.Max(1, remaining));
    }

    public override void BatchDone(in BatchProgress p)
    {
        if (_task is null) return;
        _task.Increment(1);
        if (p.HasMetrics)
            _task.Description = Describe(p.Epoch, string.Create(CultureInfo.InvariantCulture,
                $"loss {p.RunningLoss:F4} acc {p.RunningAccuracy:F4}"));
    }

    public override void Evaluating(int epoch)
    {
        if (_task is not null) _task.Description = Describe(epoch, "evaluating the test set");
    }

    public override void EpochDone(EpochMetrics metrics) => console.WriteLine(TrainProgressLines.Format(metrics, _epochs));

    private string Describe(int epoch, string what) => Markup.Escape($"epoch {epoch}/{_epochs}  {what}");
}
