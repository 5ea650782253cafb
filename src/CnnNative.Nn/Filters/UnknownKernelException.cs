namespace CnnNative.Nn.Filters;

/// <summary>A kernel name that the registry does not know; the message lists the names it does.</summary>
internal sealed class UnknownKernelException(string name, IReadOnlyCollection<string> known)
    : ArgumentException($"Unknown kernel '{name}'; valid names are {string.Join(", ", known)} (or pass a custom kernel as JSON with --kernel-file).", nameof(name))
{
    public string Name { get; } = name;

    public IReadOnlyCollection<string> Known { get; } = known;
}
