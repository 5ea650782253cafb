using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CnnNative.Cli.Commands;

/// <summary>
/// The labelled columns after the training bar: "run 37%" (the bar spans every remaining batch
/// of the run, not one epoch), "elapsed 1:02" and "left 3:10" — Spectre's own columns print
/// bare "00:01:02 00:03:10" and a percentage that does not say what it is of.
/// </summary>
internal sealed class TrainProgressColumn(Func<ProgressTask, string> text) : ProgressColumn
{
    /// <summary>"run 37%": the share of the run's remaining batches done.</summary>
    public static TrainProgressColumn RunPercentage() => new(task => RunPercentage(task.Percentage));

    /// <summary>"elapsed 1:02".</summary>
    public static TrainProgressColumn Elapsed() => new(task => $"elapsed {Time(task.ElapsedTime)}");

    /// <summary>"left 3:10", or "left ?" until the speed is known.</summary>
    public static TrainProgressColumn Remaining() => new(task => $"left {Time(task.RemainingTime)}");

    /// <inheritdoc/>
    protected override bool NoWrap => true;

    /// <inheritdoc/>
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) => new Text(text(task));

    /// <summary>"run  7%" (padded so the columns stay put).</summary>
    internal static string RunPercentage(double percentage) =>
        string.Create(CultureInfo.InvariantCulture, $"run {Math.Clamp((int)percentage, 0, 100),3}%");

    /// <summary>"m:ss" below an hour, "h:mm:ss" above, "?" when unknown.</summary>
    internal static string Time(TimeSpan? time) => time switch
    {
        null => "?",
        { TotalHours: >= 1 } t => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}"),
        { } t => string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}"),
    };
}
