using CnnNative.Tests.Cli;

namespace CnnNative.Tests.Fuzz;

/// <summary>
/// One malformed input: its kind (IDX, safetensors, configuration, model file, image,
/// command line), a name that says how it was made, whether a run may legitimately succeed
/// on it (a bit flip inside pixel data still leaves a valid file: documented acceptance), and
/// how to lay it out in a fresh case folder and which `cnn` arguments then read it.
/// </summary>
internal sealed record FuzzCase(string Kind, string Name, bool MayBeAccepted, Func<FuzzContext, string[]> Prepare)
{
    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>Where a case lays out its files: its own folder, and the harness whose appsettings.json and variables it may change.</summary>
internal sealed record FuzzContext(string Folder, CliHarness Cli, FuzzFixture Fixture)
{
    public string File(string name) => Path.Combine(Folder, name);
}
