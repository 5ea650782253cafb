namespace CnnNative.Tests.Plugins;

/// <summary>Where the build puts the sample plugin for the tests (see the test project file).</summary>
internal static class PluginPaths
{
    /// <summary>The path relative to the test binaries, as testsettings.json names it.</summary>
    public const string Relative = "plugins/CnnNative.Samples.PlainProvider.dll";

    public static string Absolute => Path.Combine(AppContext.BaseDirectory, Relative);
}
