using CnnNative.Data;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Fuzz;

/// <summary>Malformed IDX test files (plain and gzip) read by `cnn eval --data`.</summary>
internal static class IdxInputs
{
    private const string Images = "t10k-images-idx3-ubyte";
    private const string Labels = "t10k-labels-idx1-ubyte";

    public static IEnumerable<FuzzCase> Cases(FuzzFixture fixture)
    {
        var m = new Mutator(1);
        byte[] images = fixture.ImagesFile, labels = fixture.LabelsFile;

        for (int i = 0; i < 10; i++)
            yield return Replace($"images truncated #{i}", Images, m.Truncate(images));
        for (int i = 0; i < 5; i++)
            yield return Replace($"labels truncated #{i}", Labels, m.Truncate(labels));
        for (int i = 0; i < 8; i++)
            yield return Replace($"pixel bit flip #{i}", Images, m.FlipBit(images, 16, images.Length), mayBeAccepted: true);
        for (int i = 0; i < 6; i++)
            yield return Replace($"images header bit flip #{i}", Images, m.FlipBit(images, 0, 16));
        for (int i = 0; i < 9; i++)
        {
            int field = 4 + 4 * m.Next(3);
            uint claim = m.Pick(Mutator.SizeClaims);
            yield return Replace($"images dimension {field / 4} claims {claim}", Images, Mutator.WithUInt32BigEndian(images, field, claim));
        }
        foreach (uint claim in new uint[] { 0, 121, 2_700_000, 0xFFFF_FFFF })
            yield return Replace($"label count claims {claim}", Labels, Mutator.WithUInt32BigEndian(labels, 4, claim));
        yield return Replace("images with trailing garbage", Images, [.. images, .. m.RandomBytes(13)]);
        yield return Replace("labels with trailing garbage", Labels, [.. labels, 1, 2, 3]);
        yield return Replace("magic of a labels file", Images, Mutator.WithUInt32BigEndian(images, 0, IdxFormat.LabelsMagic));

        byte[] gz = IdxWriter.Gzip(images);
        for (int i = 0; i < 3; i++)
            yield return Gzip($"gzip truncated #{i}", m.Truncate(gz));
        for (int i = 0; i < 3; i++)
            yield return Gzip($"gzip bit flip #{i}", m.FlipBit(gz, 0, gz.Length), mayBeAccepted: true); // e.g. the mtime field
        yield return Gzip("gzip trailer size too small", Mutator.WithUInt32LittleEndian(gz, gz.Length - 4, (uint)images.Length - 1));
        yield return Gzip("gzip trailer size claims 2.7 million images", Mutator.WithUInt32LittleEndian(gz, gz.Length - 4, 2_700_000 * 64 + 16));
        yield return Gzip("gzip CRC wrong", Mutator.WithUInt32LittleEndian(gz, gz.Length - 8, 0xDEADBEEF));
        yield return Gzip("gzip without its trailer", gz.AsSpan(0, gz.Length - 8).ToArray());
        yield return Gzip("gzip with half a trailer", gz.AsSpan(0, gz.Length - 3).ToArray());
        yield return Gzip("gzip of a header claiming 2.7 million images", IdxWriter.Gzip(Mutator.WithUInt32BigEndian(images, 4, 2_700_000)));
        yield return Gzip("gzip of an empty file", IdxWriter.Gzip([]));
        yield return Gzip("gzip magic then nothing", [0x1f, 0x8b]);
        yield return Gzip("gzip followed by garbage", [.. gz, .. m.RandomBytes(9)]);

        yield return Special("images file is a folder", c => Directory.CreateDirectory(c));
        yield return Special("images file is a named pipe", SpecialFiles.MakeFifo);
        yield return Special("images file links to /dev/zero", c => File.CreateSymbolicLink(c, "/dev/zero"));
        yield return Special("labels file is missing", File.Delete);
    }

    private static FuzzCase Replace(string name, string file, byte[] content, bool mayBeAccepted = false) =>
        new("idx", name, mayBeAccepted, c => Eval(c, c.Fixture.CopyData(c.Folder, file, content)));

    private static FuzzCase Gzip(string name, byte[] content, bool mayBeAccepted = false) =>
        new("idx", name, mayBeAccepted, c =>
        {
            string data = c.Fixture.CopyData(c.Folder);
            File.Delete(Path.Combine(data, Images));
            File.WriteAllBytes(Path.Combine(data, Images + ".gz"), content);
            return Eval(c, data);
        });

    /// <summary>The images file replaced by whatever <paramref name="make"/> creates at its path.</summary>
    private static FuzzCase Special(string name, Action<string> make) =>
        new("idx", name, false, c =>
        {
            string data = c.Fixture.CopyData(c.Folder);
            string target = Path.Combine(data, name.StartsWith("labels", StringComparison.Ordinal) ? Labels : Images);
            File.Delete(target);
            make(target);
            return Eval(c, data);
        });

    private static string[] Eval(FuzzContext c, string data) => ["eval", "--checkpoint", c.Fixture.Checkpoint, "--data", data];
}
