namespace CnnNative.Cli.Commands;

/// <summary>
/// Every sub-command of `cnn`, in the order --help lists them. Adding a command is one file
/// in Commands/ implementing <see cref="ICliCommand"/> and one line here.
/// </summary>
internal static class CommandCatalog
{
    public static IReadOnlyList<ICliCommand> All { get; } =
    [
        new TrainCommand(),
        new EvalCommand(),
        new PredictCommand(),
        new ExportCommand(),
        new FilterCommand(),
        new ReportCommand(),
        new ProvidersCommand(),
        new BenchCommand(),
        new CheckCommand(),
        new GemmCommand(),
        new HelpCommand(),
    ];
}
