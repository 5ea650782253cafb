namespace CnnNative.Providers.OpenBlas;

/// <summary>
/// What an OpenBLAS build says about itself through <c>openblas_get_config()</c>, e.g.
/// "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64" (an ILP64 build adds
/// "USE64BITINT"). Pure string logic, so it is unit-tested without a library.
/// </summary>
internal static class OpenBlasBuild
{
    public const string Ilp64Marker = "USE64BITINT";

    private static readonly char[] Separators = [' ', '\t', '\r', '\n'];

    /// <summary>
    /// True for a 64-bit-integer build: its <c>blasint</c> is 64 bits, so our 32-bit m, n, k
    /// and leading dimensions would be read together with whatever follows them.
    /// </summary>
    public static bool IsIlp64(string config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var token in config.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
            if (string.Equals(token, Ilp64Marker, StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    /// <summary>The version token after "OpenBLAS" ("0.3.21"), or "unknown".</summary>
    public static string Version(string config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var tokens = config.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i + 1 < tokens.Length; i++)
            if (string.Equals(tokens[i], "OpenBLAS", StringComparison.OrdinalIgnoreCase))
                return tokens[i + 1];
        return "unknown";
    }

    /// <summary>The reason text used when an ILP64 build is refused.</summary>
    public static string Ilp64Refusal(string file, string config) =>
        $"'{file}' is a 64-bit-integer (ILP64, {Ilp64Marker}) OpenBLAS build (config: \"{config}\"); " +
        "CnnNative passes 32-bit sizes and needs the LP64 build.";

    /// <summary>openblas_get_parallel(): 0 sequential, 1 pthreads, 2 OpenMP.</summary>
    public static string ParallelMode(int value) => value switch
    {
        0 => "sequential",
        1 => "pthreads",
        2 => "OpenMP",
        _ => "unknown (" + value + ")",
    };
}
