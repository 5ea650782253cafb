using System.Diagnostics;

namespace CnnNative.Tests.Report;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c> package) for tests that check a page really
/// renders. <c>CNN_CHROMIUM</c> names another binary; <c>CNN_REQUIRE_CHROMIUM=1</c> (CI) turns
/// "not installed, skipped" into a failure.
/// </summary>
internal static class Chromium
{
    public const string RequireVariable = "CNN_REQUIRE_CHROMIUM";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3); // a loaded 2-core machine is slow to start a browser

    public static string? Executable { get; } = Find();

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("CNN_CHROMIUM") is { Length: > 0 } chosen) return File.Exists(chosen) ? chosen : null;
        foreach (string path in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" })
            if (File.Exists(path)) return path;
        return null;
    }

    /// <summary>Renders <paramref name="page"/> at <paramref name="width"/>×<paramref name="height"/> and writes a PNG screenshot.</summary>
    public static void Screenshot(string page, string png, int width, int height) =>
        Run(page, $"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars");

    /// <summary>The DOM of <paramref name="page"/> after loading, as Chromium serialises it.</summary>
    public static string DumpDom(string page) => Run(page, "--dump-dom");

    private static string Run(string page, params string[] extra)
    {
        string executable = Executable ?? throw new InvalidOperationException(
            $"{RequireVariable}=1 but Chromium was not found (looked at $CNN_CHROMIUM, /usr/bin/chromium and /usr/bin/chromium-browser); install it with apt-get install chromium.");
        string profile = Directory.CreateTempSubdirectory("cnn-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         $"--user-data-dir={profile}",
                     })
                start.ArgumentList.Add(argument);
            foreach (string argument in extra) start.ArgumentList.Add(argument);
            start.ArgumentList.Add(new Uri(Path.GetFullPath(page)).AbsoluteUri);

            using var process = Process.Start(start)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"Chromium did not finish rendering {page} within {Timeout.TotalMinutes} minutes.");
            }
            process.WaitForExit(); // drain the redirected streams
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"Chromium exited with {process.ExitCode}: {error.Result}");
            return output.Result;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // A helper process may still hold a file for a moment; the temp cleaner takes the rest.
            }
        }
    }
}

/// <summary>
/// A fact that needs headless Chromium: skipped with the reason where it is not installed,
/// unless <c>CNN_REQUIRE_CHROMIUM=1</c>, in which case it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Executable is null && !Chromium.Required)
            Skip = $"headless Chromium is not installed (apt-get install chromium); {Chromium.RequireVariable}=1 makes this a failure";
    }
}
