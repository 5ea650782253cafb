using System.Runtime.InteropServices;

namespace CnnNative.Providers.Managed;

/// <summary>The processor's name for <see cref="Core.ProviderInfo"/>: /proc/cpuinfo on Linux, else the architecture.</summary>
internal static class CpuInfo
{
    private static string? _modelName;

    public static string ModelName => _modelName ??= Read();

    private static string Read()
    {
        const string path = "/proc/cpuinfo";
        try
        {
            if (File.Exists(path))
            {
                foreach (string line in File.ReadLines(path))
                {
                    if (!line.StartsWith("model name", StringComparison.Ordinal)) continue;
                    int colon = line.IndexOf(':');
                    if (colon >= 0) return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture + " CPU";
    }
}
