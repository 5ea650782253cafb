using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CnnNative.Core;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn gemm`: GEMM GFLOP/s of the selected provider, for sizing up a device (the GPU kit runs
/// it next to PyTorch's matmul). Each shape is warmed up (which also runs any first-use
/// compilation or tuning), then timed in rounds of about 0.2 s that end with a
/// synchronisation, so an asynchronous device is timed on finished work; best and median of
/// the rounds are printed.
/// </summary>
internal sealed class GemmCommand : ICliCommand
{
    private static readonly string[] DefaultShapes =
        ["1024x1024x1024", "2048x2048x2048", "4096x4096x4096", "57600x30x25", "100x4320x100", "32768x64x576"];

    /// <inheritdoc/>
    public IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("Measure the OpenBLAS provider's GEMM on the default shapes", "cnn gemm --provider openblas"),
        new("Measure two shapes of your own", "cnn gemm 512x512x512 57600x30x25"),
    ];

    public Command Build(CliContext context)
    {
        var shapes = new Argument<string[]>("shapes")
        {
            Description = $"Products MxNxK (C[M,N] = A[M,K]·B[K,N]). Default: {string.Join(" ", DefaultShapes)}.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("gemm", "Measure GEMM GFLOP/s of the selected provider (--provider) on square and convolution-shaped products.") { shapes };
        command.SetAction(parse => Run(context, parse, parse.GetValue(shapes) is { Length: > 0 } given ? given : DefaultShapes));
        return command;
    }

    private static int Run(CliContext context, ParseResult parse, string[] shapeTexts)
    {
        var shapes = shapeTexts.Select(Parse).ToList();
        using var p = context.CreateProvider(parse);
        var output = context.Out;
        output.WriteLine($"{p.Name} on {p.Info.Device}");
        output.WriteLine($"{"shape",-18} {"best GFLOP/s",13} {"median GFLOP/s",15} {"best ms",10}");
        foreach (var (m, n, k) in shapes)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var (best, median) = Time(p, m, n, k);
            double flops = 2.0 * m * n * k;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{$"{m}x{n}x{k}",-18} {flops / best / 1e9,13:F1} {flops / median / 1e9,15:F1} {best * 1e3,10:F3}"));
        }
        return ExitCodes.Success;
    }

    private static (int M, int N, int K) Parse(string text)
    {
        var parts = text.Split('x', StringSplitOptions.TrimEntries);
        if (parts.Length == 3 && int.TryParse(parts[0], out int m) && int.TryParse(parts[1], out int n) && int.TryParse(parts[2], out int k)
            && m > 0 && n > 0 && k > 0 && (long)m * k <= int.MaxValue && (long)k * n <= int.MaxValue && (long)m * n <= int.MaxValue)
            return (m, n, k);
        throw new CliException($"'{text}' is not a GEMM shape; write MxNxK with positive sizes, e.g. 1024x1024x1024.", ExitCodes.Usage);
    }

    private static (double Best, double Median) Time(IComputeProvider p, int m, int n, int k)
    {
        using var a = p.Allocate(new TensorShape(m * k));
        using var b = p.Allocate(new TensorShape(k * n));
        using var c = p.Allocate(new TensorShape(m * n));
        var random = new Random(1);
        var values = new float[Math.Max(m * k, k * n)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble();
        p.Upload(values.AsSpan(0, m * k), a);
        p.Upload(values.AsSpan(0, k * n), b);
        void Once() => p.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, m, n, k, 1f, a, b, 0f, c);

        // Warm-up: at least one call (first-use compilation), then up to 0.3 s. A slow product
        // (a CPU device at 4096³) gets two timed rounds instead of five, so the table stays quick.
        var watch = Stopwatch.StartNew();
        // Each warm-up call is waited for: an asynchronous device would otherwise queue 0.3 s worth of enqueues, hours of work at 4096³.
        do { Once(); p.Synchronize(); } while (watch.Elapsed.TotalSeconds < 0.3);
        watch.Restart();
        Once();
        p.Synchronize();
        double once = watch.Elapsed.TotalSeconds;
        int reps = Math.Max(1, (int)(0.2 / Math.Max(once, 1e-6)));
        var rounds = new double[once > 0.5 ? 2 : 5];
        for (int r = 0; r < rounds.Length; r++)
        {
            watch.Restart();
            for (int i = 0; i < reps; i++) Once();
            p.Synchronize();
            rounds[r] = watch.Elapsed.TotalSeconds / reps;
        }
        Array.Sort(rounds);
        return (rounds[0], rounds[rounds.Length / 2]);
    }
}
