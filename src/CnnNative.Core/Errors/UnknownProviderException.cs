namespace CnnNative.Core;

/// <summary>A provider name that no registered factory answers to.</summary>
public sealed class UnknownProviderException(string name, IReadOnlyCollection<string> known)
    : Exception($"Unknown compute provider '{name}'. Valid names: {string.Join(", ", known)}. Set Compute:Provider in appsettings.json, CNN_Compute__Provider, or --provider.")
{
    /// <summary>The name that was asked for, as given.</summary>
    public string Name { get; } = name;
    /// <summary>The names the registry knows, for the message and for suggestions.</summary>
    public IReadOnlyCollection<string> Known { get; } = known;
}
