using System.IO.Compression;
using System.Text;
using CnnNative.Data;

namespace CnnNative.Tests.Seeds;

public class DigitsDataTests
{
    [Fact]
    public void The_built_in_copy_is_scikit_learns_1797_digits_split_80_20_per_class()
    {
        var splits = DigitsDataset.Load("digits", seed: 42);
        Assert.Equal(1797, splits.Train.Count + splits.Test.Count);
        Assert.Equal(359, splits.Test.Count); // train_test_split(test_size=0.2, stratify=y) holds out 360; per-class rounding gives 359
        Assert.Equal((1, 8, 8), (splits.Train.Channels, splits.Train.Rows, splits.Train.Columns));
        var train = splits.Train.CountPerClass();
        var test = splits.Test.CountPerClass();
        for (int c = 0; c < 10; c++)
            Assert.InRange(test[c] / (double)(train[c] + test[c]), 0.18, 0.22);
        Assert.All(splits.Train.Images, v => Assert.InRange(v, 0f, 1f));
        Assert.Contains(splits.Train.Images, v => v == 1f); // 16 / 16
    }

    [Fact]
    public void The_split_is_a_function_of_the_seed()
    {
        var a = DigitsDataset.Load("digits", seed: 1);
        var b = DigitsDataset.Load("digits", seed: 1);
        var c = DigitsDataset.Load("digits", seed: 2);
        Assert.Equal(a.Test.Images, b.Test.Images);
        Assert.NotEqual(a.Test.Images, c.Test.Images);
    }

    [Fact]
    public void Stratified_split_keeps_both_sides_of_every_class_and_loses_nothing()
    {
        float[] labels = [0, 0, 1, 1, 1, 1, 1, 2, 2, 2];
        var (kept, heldOut) = StratifiedSplit.Split(labels, 3, 0.2, seed: 7);
        Assert.Equal(Enumerable.Range(0, 10), kept.Concat(heldOut).Order());
        foreach (int c in new[] { 0, 1, 2 })
        {
            Assert.Contains(kept, i => labels[i] == c);
            Assert.Contains(heldOut, i => labels[i] == c);
        }
    }

    [Theory]
    [InlineData("1,2,3\n", "line 1 has 3 values; each row needs 64 pixels and a label.")]
    [InlineData("ROW17\n", "line 1, value 1 ('ROW17') is not a whole number.")]
    [InlineData("", "holds no rows.")]
    public void Malformed_files_get_a_clear_error_naming_the_line(string text, string problem)
    {
        var e = Assert.Throws<InvalidDataFileException>(() => DigitsCsv.Read(Encoding.ASCII.GetBytes(text), "bad.csv"));
        Assert.Equal(problem, e.Problem);
        Assert.StartsWith("bad.csv: ", e.Message);
    }

    [Fact]
    public void Pixels_out_of_range_labels_that_are_not_digits_and_bad_gzip_are_refused()
    {
        string row = string.Join(',', Enumerable.Repeat("0", 63));
        Assert.Contains("pixel 64 is 17", Assert.Throws<InvalidDataFileException>(() => DigitsCsv.Read(Encoding.ASCII.GetBytes(row + ",17,3"), "x")).Problem);
        Assert.Contains("label 12 is not a digit", Assert.Throws<InvalidDataFileException>(() => DigitsCsv.Read(Encoding.ASCII.GetBytes(row + ",1,12"), "x")).Problem);
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(Encoding.ASCII.GetBytes(row + ",1,3\n" + row + ",1,4\n"));
        byte[] bytes = gz.ToArray();
        Assert.Equal(2, DigitsCsv.Read(bytes, "ok.csv.gz").Labels.Length);
        bytes[12] ^= 0xff; // corrupt the deflate stream
        Assert.Contains("not valid gzip data", Assert.Throws<InvalidDataFileException>(() => DigitsCsv.Read(bytes, "bad.csv.gz")).Problem);
    }

    [Fact]
    public void A_missing_file_says_how_to_use_the_built_in_copy()
    {
        var e = Assert.Throws<InvalidDataFileException>(() => DigitsDataset.Load("/nonexistent/digits.csv.gz", 1));
        Assert.Equal("does not exist.", e.Problem);
        Assert.Contains("--data digits", e.Fix);
    }
}
