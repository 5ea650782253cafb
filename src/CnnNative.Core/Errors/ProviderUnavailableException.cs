namespace CnnNative.Core;

/// <summary>
/// A provider that exists but cannot start on this machine: a native library is missing, no
/// device was found. <see cref="Reason"/> says what is missing, <see cref="Fix"/> how to get it.
/// </summary>
public sealed class ProviderUnavailableException : Exception
{
    /// <summary>The message joins the three parts: "Provider 'opencl' is unavailable: {reason} {fix}".</summary>
    /// <param name="provider">The provider's configured name.</param>
    /// <param name="reason">What is missing, e.g. "libOpenCL.so.1 was not found (tried: …).".</param>
    /// <param name="fix">How to get it, e.g. the package to install; may be empty.</param>
    /// <param name="inner">The failure that revealed it, if any.</param>
    public ProviderUnavailableException(string provider, string reason, string fix, Exception? inner = null)
        : base($"Provider '{provider}' is unavailable: {reason} {fix}".TrimEnd(), inner)
    {
        Provider = provider;
        Reason = reason;
        Fix = fix;
    }

    /// <summary>The provider's configured name ("openblas", "opencl", a plugin's name).</summary>
    public string Provider { get; }
    /// <summary>What is missing on this machine, as one sentence.</summary>
    public string Reason { get; }
    /// <summary>What to install or set to make the provider start (may be empty).</summary>
    public string Fix { get; }
}
