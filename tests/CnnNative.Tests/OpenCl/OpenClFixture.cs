using CnnNative.Providers.OpenCl;

namespace CnnNative.Tests.OpenCl;

/// <summary>One provider (one context, one program build) shared by every OpenCL test class.</summary>
public sealed class OpenClProviderFixture : IDisposable
{
    private readonly Lazy<OpenClProvider> _provider = new(() => new OpenClProviderFactory().Create(new OpenClOptions()));

    public OpenClProvider Provider => _provider.Value;

    public void Dispose()
    {
        if (_provider.IsValueCreated) _provider.Value.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class OpenClCollection : ICollectionFixture<OpenClProviderFixture>
{
    public const string Name = "OpenCL device";
}
