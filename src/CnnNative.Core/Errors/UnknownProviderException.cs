namespace CnnNative.Core;

/// <summary>A provider name that no registered factory answers to.</summary>
public sealed class UnknownProviderException(string name, IReadOnlyCollection<string> known)
    : Exception($"Unknown compute provider '{name}'. Valid names: {string.Join(", ", known)}. Set Compute:Provider in appsettings.json, CNN_Compute__Provider, or --provider.")
{
    public string Name { get; } = name;
    public IReadOnlyCollection<string> Known { get; } = known;
}
