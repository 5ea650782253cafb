namespace CnnNative.Core;

/// <summary>
/// A provider that exists but cannot start on this machine: a native library is missing, no
/// device was found. <see cref="Reason"/> says what is missing, <see cref="Fix"/> how to get it.
/// </summary>
public sealed class ProviderUnavailableException : Exception
{
    public ProviderUnavailableException(string provider, string reason, string fix, Exception? inner = null)
        : base($"Provider '{provider}' is unavailable: {reason} {fix}".TrimEnd(), inner)
    {
        Provider = provider;
        Reason = reason;
        Fix = fix;
    }

    public string Provider { get; }
    public string Reason { get; }
    public string Fix { get; }
}
