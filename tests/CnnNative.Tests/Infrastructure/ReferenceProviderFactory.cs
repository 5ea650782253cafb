using CnnNative.Core;
using CnnNative.Tests.Reference;
using Microsoft.Extensions.Configuration;

namespace CnnNative.Tests.Infrastructure;

/// <summary>The oracle as a factory, so tests can create it by name like any other provider.</summary>
public sealed class ReferenceProviderFactory : IComputeProviderFactory
{
    public string Name => "reference";

    public string Description => "Double-precision plain loops; the conformance oracle (tests only).";

    public IComputeProvider Create(IConfiguration section) => new ReferenceProvider();
}
