using CnnNative.Cli;

namespace CnnNative.Tests.Cli;

/// <summary>
/// cnn is an application, not a library: nothing in it is API a program could build on, so it
/// exports no types (the packages document their public surface; the tool has none). A new
/// public type here is either meant for a library project or should be internal.
/// </summary>
public sealed class ToolSurfaceTests
{
    [Fact]
    public void The_tool_assembly_exports_no_types()
    {
        string[] exported = [.. typeof(CliApp).Assembly.GetExportedTypes().Select(t => t.FullName!).Order()];

        Assert.True(exported.Length == 0,
            $"cnn exports {exported.Length} public type(s); make them internal (the tests see internals): {string.Join(", ", exported)}");
    }
}
