using System.CommandLine;
using CnnNative.Core;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace CnnNative.Cli;

/// <summary>
/// What a command's action works with: the output writers (plain and Spectre), the
/// cancellation token of Ctrl+C, and the resolved settings — configuration, compute options
/// and the provider registry, built on first use from appsettings.json, <c>CNN_</c>
/// environment variables and <c>--provider</c>. One context serves one invocation.
/// </summary>
internal sealed class CliContext
{
    private readonly CliEnvironment _environment;
    private IConfigurationRoot? _configuration;
    private ProviderRegistry? _registry;

    internal CliContext(CliEnvironment environment, GlobalOptions globalOptions, CancellationToken cancellationToken)
    {
        _environment = environment;
        GlobalOptions = globalOptions;
        CancellationToken = cancellationToken;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(environment.Out),
            Ansi = environment.Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = environment.Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = environment.Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
    }

    /// <summary>Plain standard output.</summary>
    public TextWriter Out => _environment.Out;

    /// <summary>Standard error, for warnings (errors are reported by the app from exceptions).</summary>
    public TextWriter Error => _environment.Error;

    /// <summary>Spectre.Console over <see cref="Out"/>: tables, progress bars (plain when not interactive).</summary>
    public IAnsiConsole Console { get; }

    /// <summary>True when output is a terminal: use tables and live progress; otherwise print plain lines.</summary>
    public bool Interactive => _environment.Interactive;

    /// <summary>Cancelled by Ctrl+C or SIGTERM; long commands stop at the next safe point.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The folder of run folders (<see cref="CliEnvironment.RunsFolder"/>).</summary>
    public string RunsFolder => _environment.RunsFolder;

    /// <summary>--provider and --verbose, declared on the root for every command.</summary>
    public GlobalOptions GlobalOptions { get; }

    /// <summary>Path of the appsettings.json the tool reads (it may not exist: defaults apply).</summary>
    public string SettingsFile => Path.Combine(_environment.BaseDirectory, CliConfiguration.FileName);

    /// <summary>The merged configuration: appsettings.json, then CNN_ variables, then --provider.</summary>
    public IConfiguration GetConfiguration(ParseResult parse)
    {
        if (_configuration is null)
        {
            var overrides = new Dictionary<string, string?>();
            string? provider = parse.GetValue(GlobalOptions.Provider);
            // An empty --provider never gets here (NonEmptyValues refuses it while parsing), so
            // it cannot quietly mean "the default" while an empty Compute:Provider is refused.
            if (provider is not null)
                overrides[ConfigurationPath.Combine(ComputeOptions.SectionName, nameof(ComputeOptions.Provider))] = provider.Trim();
            _configuration = CliConfiguration.Build(_environment, overrides);
        }
        return _configuration;
    }

    /// <summary>The <c>Compute</c> section bound to <see cref="ComputeOptions"/>.</summary>
    public ComputeOptions GetComputeOptions(ParseResult parse) => CliConfiguration.BindCompute(GetConfiguration(parse));

    /// <summary>The <c>Compute</c> section itself (providers read their sub-sections from it).</summary>
    public IConfiguration GetComputeSection(ParseResult parse) => GetConfiguration(parse).GetSection(ComputeOptions.SectionName);

    /// <summary>Built-in providers plus the plugins named in <c>Compute:Plugins</c>.</summary>
    public ProviderRegistry GetRegistry(ParseResult parse)
    {
        if (_registry is null)
        {
            var registry = new ProviderRegistry();
            _environment.RegisterProviders(registry);
            registry.LoadPlugins(GetComputeOptions(parse).Plugins, _environment.BaseDirectory);
            _registry = registry;
        }
        return _registry;
    }

    /// <summary>
    /// Starts the selected provider. Throws <see cref="UnknownProviderException"/> (listing the
    /// valid names) or <see cref="ProviderUnavailableException"/> (reason and fix), which the
    /// app prints as one line.
    /// </summary>
    public IComputeProvider CreateProvider(ParseResult parse) =>
        GetRegistry(parse).Create(GetComputeOptions(parse), GetComputeSection(parse));

    /// <summary>True when --verbose was given.</summary>
    public bool IsVerbose(ParseResult parse) => parse.GetValue(GlobalOptions.Verbose);
}
