using CnnNative.Core;
using CnnNative.Data.Imaging;

namespace CnnNative.Cli.Report;

/// <summary>Writing a run's report.html: rendered in memory, then swapped in atomically so an open browser never reads half a file.</summary>
internal static class RunReport
{
    public const string FileName = "report.html";

    /// <summary>Renders <paramref name="data"/> and writes it to <paramref name="path"/> (replacing any earlier report atomically).</summary>
    public static void Write(string path, RunReportData data)
    {
        string html = RunReportRenderer.Render(data);
        AtomicFile.WriteAllText(path, html);
    }
}
