using System.Reflection;
using System.Text;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// The OpenCL C sources embedded from native/opencl/*.cl (resources named
/// <c>CnnNative.OpenCl.&lt;file&gt;.cl</c>), concatenated into one program: common.cl first
/// (shared helpers), the rest by name. Each file starts with a <c>#line</c> directive so a
/// build log points at the file and line the error is in.
/// </summary>
internal static class KernelSources
{
    private const string Prefix = "CnnNative.OpenCl.";
    private const string CommonFile = "common.cl";

    private static readonly Lazy<string> Program = new(Concatenate);

    /// <summary>The whole program's source (read once per process).</summary>
    public static string All => Program.Value;

    private static string Concatenate()
    {
        Assembly assembly = typeof(KernelSources).Assembly;
        var files = new List<string>();
        foreach (string name in assembly.GetManifestResourceNames())
            if (name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(".cl", StringComparison.Ordinal))
                files.Add(name[Prefix.Length..]);
        if (!files.Contains(CommonFile))
            throw new InvalidOperationException(
                $"The OpenCL kernels are missing from {assembly.GetName().Name}: no embedded resource {Prefix}{CommonFile}. Rebuild the provider project.");
        files.Sort(StringComparer.Ordinal);
        files.Remove(CommonFile);
        files.Insert(0, CommonFile);

        var source = new StringBuilder();
        foreach (string file in files)
        {
            using var stream = assembly.GetManifestResourceStream(Prefix + file)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            source.Append("#line 1 \"").Append(file).Append("\"\n");
            source.Append(reader.ReadToEnd());
            source.Append('\n');
        }
        return source.ToString();
    }
}
