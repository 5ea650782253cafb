namespace CnnNative.Tests.Cli;

/// <summary>`cnn gemm`: GFLOP/s of the selected provider (the GPU kit's GEMM figure).</summary>
public sealed class GemmCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Each_shape_gets_a_row_with_its_GFLOP_per_second()
    {
        var r = _cli.Run("gemm", "--provider", "alpha", "7x5x3", "16x16x16");
        Assert.True(r.Exit == 0, r.Out + r.Err);
        Assert.Matches(@"(?m)^7x5x3\s+\d+\.\d\s+\d+\.\d\s+\d+\.\d{3}$", r.Out);
        Assert.Matches(@"(?m)^16x16x16\s+", r.Out);
    }

    [Theory]
    [InlineData("7x5")]
    [InlineData("0x5x3")]
    [InlineData("axbxc")]
    [InlineData("100000x100000x1")]
    public void A_shape_that_is_not_MxNxK_is_a_usage_error(string shape)
    {
        var r = _cli.Run("gemm", "--provider", "alpha", shape);
        Assert.Equal(2, r.Exit);
        Assert.Contains($"'{shape}' is not a GEMM shape", r.Err);
    }
}
