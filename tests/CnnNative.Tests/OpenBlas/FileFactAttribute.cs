namespace CnnNative.Tests.OpenBlas;

/// <summary>
/// A fact that needs a file which is not a project dependency (Debian's ILP64 OpenBLAS, a
/// Linux-only system library). Without it the test is reported as skipped, saying which file
/// is missing, rather than passing without having checked anything.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FileFactAttribute : FactAttribute
{
    public FileFactAttribute(string path)
    {
        if (!File.Exists(path)) Skip = $"needs '{path}', which is not on this machine";
    }
}
