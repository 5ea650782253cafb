using CnnNative.Core;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Infrastructure;

/// <summary>
/// Owns, for one test class, the provider under test (started once: an OpenCL provider
/// compiles its kernels at start), a second independent instance of it (for foreign-tensor
/// checks) and the oracle. Creation is lazy and not cached on failure, so every test of an
/// unavailable required provider fails with the provider's own message.
/// </summary>
public sealed class ProviderFixture : IDisposable
{
    private readonly Lock _gate = new();
    private IComputeProvider? _provider;
    private IComputeProvider? _second;
    private ReferenceProvider? _oracle;

    /// <summary>The provider under test, started on first use.</summary>
    public IComputeProvider Provider(string name)
    {
        lock (_gate) return _provider ??= TestProviders.Create(name);
    }

    /// <summary>Another instance of the same provider: its tensors are foreign to <see cref="Provider"/>.</summary>
    public IComputeProvider Second(string name)
    {
        lock (_gate) return _second ??= TestProviders.Create(name);
    }

    /// <summary>The double-precision oracle every result is compared with (its own instance).</summary>
    public ReferenceProvider Oracle
    {
        get { lock (_gate) return _oracle ??= new ReferenceProvider(); }
    }

    public void Dispose()
    {
        _provider?.Dispose();
        _second?.Dispose();
        _oracle?.Dispose();
    }
}
