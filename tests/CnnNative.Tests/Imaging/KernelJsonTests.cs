using CnnNative.Nn.Filters;

namespace CnnNative.Tests.Imaging;

public sealed class KernelJsonTests
{
    [Fact]
    public void ValidKernelIsRead()
    {
        ImageKernel kernel = KernelJson.Parse("""
            // comments and trailing commas are tolerated in hand-written files
            {"name": "emboss", "description": "Emboss.", "kernel": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2.5],],}
            """);

        Assert.Equal("emboss", kernel.Name);
        Assert.Equal("Emboss.", kernel.Description);
        Assert.Equal((3, 3), (kernel.Height, kernel.Width));
        Assert.Equal(2.5, kernel[2, 2]);
        Assert.Equal(-2, kernel[0, 0]);
    }

    [Fact]
    public void NonSquareOddKernelIsAllowed()
    {
        ImageKernel kernel = KernelJson.Parse("""{"name": "row", "kernel": [[1, 2, 3, 2, 1]]}""");

        Assert.Equal((1, 5), (kernel.Height, kernel.Width));
    }

    [Theory]
    [InlineData("{", "is not valid JSON")]
    [InlineData("[[1]]", "must hold an object")]
    [InlineData("""{"kernel": [[1]]}""", "needs a \"name\" string")]
    [InlineData("""{"name": "my kernel", "kernel": [[1]]}""", "contains a space")]
    [InlineData("""{"name": "k"}""", "needs a \"kernel\" array")]
    [InlineData("""{"name": "k", "kernel": []}""", "at least one row")]
    [InlineData("""{"name": "k", "kernel": [[]]}""", "at least one row and one column")]
    [InlineData("""{"name": "k", "kernel": [1, 2, 3]}""", "row 1 is a number, not an array")]
    [InlineData("""{"name": "k", "kernel": [[1, 2, 3], [1, 2], [1, 2, 3]]}""", "row 2 has 2 numbers but row 1 has 3; a kernel must be rectangular")]
    [InlineData("""{"name": "k", "kernel": [[1, 2], [3, 4]]}""", "2×2; both sides must be odd")]
    [InlineData("""{"name": "k", "kernel": [[1, "2", 3]]}""", "column 2 is \"2\", not a finite number")]
    [InlineData("""{"name": "k", "kernel": [[1, 1e999, 3]]}""", "column 2 is 1e999, not a finite number")]
    [InlineData("""{"name": "k", "kernel": [[1, 1e39, 3]]}""", "column 2: 1E+39 is too large: weights are computed in single precision and may be at most 1e30 in magnitude")]
    [InlineData("""{"name": "k", "kernel": [[1, -2e30, 3]]}""", "column 2: -2E+30 is too large")]
    public void BadKernelFileSaysWhatIsWrong(string json, string expected)
    {
        var error = Assert.Throws<KernelFormatException>(() => KernelJson.Parse(json, "k.json"));

        Assert.Contains(expected, error.Message);
        Assert.StartsWith("k.json", error.Message);
        ImageBadInputTests.AssertOneSentence(error.Message, json);
    }
}
