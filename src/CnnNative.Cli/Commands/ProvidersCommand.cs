using System.CommandLine;
using CnnNative.Core;
using Spectre.Console;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn providers`: starts every known provider once and shows what it runs on (device,
/// threads, library details) or why it cannot start and how to fix that. The selected
/// provider (appsettings.json → CNN_Compute__Provider → --provider) is marked.
/// </summary>
internal sealed class ProvidersCommand : ICliCommand
{
    /// <inheritdoc/>
    public IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("List the providers and mark the selected one", "cnn providers"),
        new("Check that OpenCL starts, as --provider opencl would select it", "cnn providers --provider opencl"),
    ];

    public Command Build(CliContext context)
    {
        var command = new Command("providers",
            "List every compute provider, whether it can run on this machine (device, threads, details) and, if not, why and how to fix it. The selected provider is marked with *.");
        command.SetAction(parse => Run(context, parse));
        return command;
    }

    private static int Run(CliContext context, ParseResult parse)
    {
        ComputeOptions options = context.GetComputeOptions(parse);
        ProviderRegistry registry = context.GetRegistry(parse);
        IReadOnlyList<ProviderStatus> statuses = registry.Probe(context.GetComputeSection(parse), context.CancellationToken);

        if (statuses.Count == 0)
            context.Out.WriteLine("No compute providers are registered.");
        else if (context.Interactive)
            WriteTable(context.Console, statuses, options.Provider);
        else
            WritePlain(context.Out, statuses, options.Provider);

        if (!registry.Contains(options.Provider))
            throw new UnknownProviderException(options.Provider, registry.Names);
        return ExitCodes.Success;
    }

    private static bool IsSelected(ProviderStatus status, string selected) =>
        string.Equals(status.Name, selected, StringComparison.OrdinalIgnoreCase);

    private static void WritePlain(TextWriter output, IReadOnlyList<ProviderStatus> statuses, string selected)
    {
        foreach (ProviderStatus status in statuses)
        {
            string name = status.Name + (IsSelected(status, selected) ? "*" : "");
            if (status.Info is { } info)
            {
                output.WriteLine($"{name}: available - {status.Description}");
                output.WriteLine($"  device: {info.Device}; threads: {info.Threads}");
                foreach (var (key, value) in info.Details)
                    output.WriteLine($"  {key}: {value}");
            }
            else
            {
                output.WriteLine($"{name}: unavailable - {status.Description}");
                output.WriteLine($"  {status.Problem}");
            }
        }
    }

    private static void WriteTable(IAnsiConsole console, IReadOnlyList<ProviderStatus> statuses, string selected)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Provider").AddColumn("Status").AddColumn("Device").AddColumn(new TableColumn("Threads").RightAligned())
            .AddColumn("Details");
        foreach (ProviderStatus status in statuses)
        {
            string name = Markup.Escape(status.Name) + (IsSelected(status, selected) ? " [bold]*[/]" : "");
            if (status.Info is { } info)
            {
                string details = string.Join("\n", info.Details.Select(kv => Markup.Escape($"{kv.Key}: {kv.Value}")));
                table.AddRow(name, "[green]available[/]", Markup.Escape(info.Device), info.Threads.ToString(),
                    details.Length == 0 ? Markup.Escape(status.Description) : details);
            }
            else
            {
                table.AddRow(name, "[red]unavailable[/]", "", "", Markup.Escape(status.Problem ?? ""));
            }
        }
        console.Write(table);
        console.MarkupLine("[grey]* selected (Compute:Provider in appsettings.json, CNN_Compute__Provider, or --provider)[/]");
    }
}
