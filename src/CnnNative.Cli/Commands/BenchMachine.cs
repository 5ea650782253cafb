using System.Globalization;
using System.Runtime.InteropServices;
using CnnNative.Core;

namespace CnnNative.Cli.Commands;

/// <summary>
/// The machine a benchmark ran on, as the report states it: CPU, cores, SIMD width, the
/// OpenBLAS kernel core and the OpenCL device (each from the provider that knows it, when
/// that provider starts here), the OS and runtime, and the load average at the start and
/// end of the run — on a shared machine the figures mean little without it.
/// </summary>
internal sealed record BenchMachine
{
    public required string Cpu { get; init; }
    public required int LogicalCores { get; init; }
    public string? Simd { get; init; }
    public string? OpenBlasCore { get; init; }
    public string? OpenBlasVersion { get; init; }
    public string? OpenClDevice { get; init; }
    public required string Os { get; init; }
    public required string Runtime { get; init; }
    public string? LoadAverageAtStart { get; init; }
    public string? LoadAverageAtEnd { get; init; }

    /// <summary>Machine facts from the providers that started (<paramref name="infos"/>), plus the OS's own.</summary>
    public static BenchMachine Describe(IEnumerable<ProviderInfo> infos)
    {
        ProviderInfo? managed = null, openblas = null, opencl = null;
        foreach (var info in infos)
        {
            switch (info.Name)
            {
                case "managed": managed = info; break;
                case "openblas": openblas = info; break;
                case "opencl": opencl = info; break;
            }
        }
        var cpuSource = managed ?? openblas;
        return new BenchMachine
        {
            Cpu = cpuSource?.Device ?? RuntimeInformation.ProcessArchitecture.ToString(),
            LogicalCores = Environment.ProcessorCount,
            Simd = Detail(managed, "SIMD") ?? Detail(openblas, "SIMD"),
            OpenBlasCore = Detail(openblas, "core"),
            OpenBlasVersion = Detail(openblas, "version"),
            OpenClDevice = opencl?.Device,
            Os = RuntimeInformation.OSDescription,
            Runtime = RuntimeInformation.FrameworkDescription,
            LoadAverageAtStart = LoadAverage(),
        };
    }

    private static string? Detail(ProviderInfo? info, string key) =>
        info is not null && info.Details.TryGetValue(key, out var value) ? value : null;

    /// <summary>"1.02 0.87 0.65" (1, 5 and 15 minutes) from /proc/loadavg, or null where there is none.</summary>
    public static string? LoadAverage()
    {
        const string path = "/proc/loadavg";
        try
        {
            if (!File.Exists(path)) return null;
            var parts = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 3 ? string.Join(' ', parts[0], parts[1], parts[2]) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>One line for the console: "AMD EPYC …, 2 logical cores, AVX-512 …".</summary>
    public override string ToString()
    {
        var parts = new List<string> { Cpu, string.Create(CultureInfo.InvariantCulture, $"{LogicalCores} logical cores") };
        if (Simd is not null) parts.Add(Simd);
        if (OpenBlasCore is not null) parts.Add("OpenBLAS core " + OpenBlasCore);
        if (OpenClDevice is not null) parts.Add("OpenCL " + OpenClDevice);
        if (LoadAverageAtStart is not null) parts.Add("load average " + LoadAverageAtStart);
        return string.Join(", ", parts);
    }
}
