using CnnNative.Providers.Managed;
using CnnNative.Tests.Cli;
using CnnNative.Tests.Data;

namespace CnnNative.Tests.Training;

/// <summary>
/// The fixture of the `cnn train` end-to-end tests: an in-process `cnn` on the managed provider,
/// a private folder holding a tiny synthetic IDX data set and the tiny model file.
/// </summary>
internal sealed class TinyTrainCli : IDisposable
{
    public const string ManagedSettings = """{ "Compute": { "Provider": "managed", "Managed": { "Threads": 2 } } }""";

    public TinyTrainCli(string folder, string dataFolder, string settings = ManagedSettings)
    {
        Dir = new TempFolder(folder);
        Cli.Factories.Add(new ManagedProviderFactory());
        Cli.Settings(settings);
        Data = Dir.File(dataFolder);
        SyntheticData.WriteIdxFolder(Data);
        ModelFile = Dir.File("tiny.json");
        File.WriteAllText(ModelFile, SyntheticData.ModelJson());
    }

    public CliHarness Cli { get; } = new();
    public TempFolder Dir { get; }
    public string Data { get; }
    public string ModelFile { get; }

    public void Dispose()
    {
        Cli.Dispose();
        Dir.Dispose();
    }
}
