using CnnNative.Cli;
using CnnNative.Core;
using CnnNative.Tests.Data;
using CnnNative.Tests.Reference;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Tests.Cli;

/// <summary>A factory whose provider starts (the reference provider) or fails the way the test says.</summary>
internal sealed class FakeFactory(string name, Func<IComputeProvider> create) : IComputeProviderFactory
{
    public string Name => name;
    public string Description => $"test provider {name}";
    public IComputeProvider Create(IConfiguration section) => create();

    public static FakeFactory Available(string name) => new(name, () => new ReferenceProvider());

    public static FakeFactory Missing(string name) => new(name, () => throw new ProviderUnavailableException(name,
        $"lib{name}.so.1 was not found (tried /usr/lib/x86_64-linux-gnu/lib{name}.so.1).", $"Install it with apt-get install lib{name}1."));

    public static FakeFactory Crashing(string name) => new(name, () => throw new InvalidOperationException("driver exploded"));
}

/// <summary>Runs `cnn` in-process with captured output, a private settings folder and private environment variables.</summary>
internal sealed class CliHarness : IDisposable
{
    private readonly TempFolder _folder = new("cli");

    public Dictionary<string, string> Variables { get; } = new();

    public bool Interactive { get; set; }

    /// <summary>Where predict looks for the newest run (a private folder; nothing is there until a test puts it).</summary>
    public string RunsFolder => _folder.File("runs");

    public List<IComputeProviderFactory> Factories { get; } =
        [FakeFactory.Available("alpha"), FakeFactory.Missing("broken"), FakeFactory.Crashing("crashy")];

    public string SettingsFile => _folder.File("appsettings.json");

    public void Settings(string json) => File.WriteAllText(SettingsFile, json);

    public CliResult Run(params string[] args) => Run(CancellationToken.None, args);

    public CliResult Run(CancellationToken cancellation, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new CliEnvironment
        {
            Out = output,
            Error = error,
            Interactive = Interactive,
            RunsFolder = RunsFolder,
            Variables = Variables,
            BaseDirectory = _folder.Path,
            RegisterProviders = registry => Factories.ForEach(f => registry.Register(f)),
        };
        int exit = CliApp.Run(args, environment, cancellation);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    public void Dispose() => _folder.Dispose();
}

internal sealed record CliResult(int Exit, string Out, string Err)
{
    /// <summary>The error output as lines (no trailing empty line).</summary>
    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The standard output as lines (no trailing empty line).</summary>
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
