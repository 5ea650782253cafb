using System.Diagnostics;

namespace CnnNative.Cli.Commands;

/// <summary>
/// Throughput of one phase (training or inference): every window's images/s and their median,
/// and the images per CPU-second the whole process spent over the windows (every thread:
/// ours, OpenBLAS's, pocl's). On a shared machine wall-clock figures drop with the load while
/// images per CPU-second stays close to what a quiet machine gives per core (spin-waiting
/// threads count against it), so the report carries both.
/// </summary>
internal sealed record PhaseThroughput(IReadOnlyList<double> Windows, long Images, long Steps, double Seconds, double CpuSeconds)
{
    /// <summary>Images per second of process CPU time over all windows.</summary>
    public double ImagesPerCpuSecond => CpuSeconds > 0 ? Images / CpuSeconds : double.NaN;

    /// <summary>The reported figure: the median window (robust to a window disturbed by other work on the machine).</summary>
    public double Median => BenchMeter.Median(Windows);

    public double Min => Windows.Min();

    public double Max => Windows.Max();

    /// <summary>Milliseconds per batch at the median rate.</summary>
    public double MillisecondsPerStep(int batchSize) => Median > 0 ? batchSize / Median * 1000.0 : double.NaN;
}

/// <summary>
/// Times a workload in windows: an untimed warm-up, then each window runs whole steps until
/// its duration has passed, waits for the provider to finish (<see cref="IBenchWorkload.Finish"/>),
/// and divides the images by the elapsed time. Reported: the median window.
/// </summary>
internal static class BenchMeter
{
    /// <summary>Called after each window with its number (1-based; 0 for the warm-up) and images/s.</summary>
    public delegate void WindowDone(int window, double imagesPerSecond);

    public static PhaseThroughput Measure(IBenchWorkload workload, BenchSettings settings, WindowDone? progress, CancellationToken cancellationToken)
    {
        // Warm-up: at least two steps (the first allocates buffers, builds OpenCL programs, tiers up the JIT).
        var warm = RunWindow(workload, settings.WarmupSeconds, minimumSteps: 2, cancellationToken);
        progress?.Invoke(0, warm.Images / warm.Seconds);

        var windows = new List<double>(settings.Windows);
        long images = 0, steps = 0;
        double seconds = 0;
        var cpuStart = Environment.CpuUsage.TotalTime;
        for (int w = 1; w <= settings.Windows; w++)
        {
            var window = RunWindow(workload, settings.Seconds, minimumSteps: 1, cancellationToken);
            double rate = window.Images / window.Seconds;
            windows.Add(rate);
            images += window.Images;
            steps += window.Steps;
            seconds += window.Seconds;
            progress?.Invoke(w, rate);
        }
        double cpuSeconds = (Environment.CpuUsage.TotalTime - cpuStart).TotalSeconds;
        return new PhaseThroughput(windows, images, steps, seconds, cpuSeconds);
    }

    private readonly record struct Window(long Images, long Steps, double Seconds);

    private static Window RunWindow(IBenchWorkload workload, double seconds, int minimumSteps, CancellationToken cancellationToken)
    {
        long images = 0, steps = 0;
        var watch = Stopwatch.StartNew();
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            images += workload.Step();
            steps++;
        }
        while (steps < minimumSteps || watch.Elapsed.TotalSeconds < seconds);
        workload.Finish();
        return new Window(images, steps, watch.Elapsed.TotalSeconds);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
