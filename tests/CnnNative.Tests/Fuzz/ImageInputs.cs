using System.Text;

namespace CnnNative.Tests.Fuzz;

/// <summary>
/// Malformed PGM and PNG images given to `cnn predict`, through whatever decoder is on main.
/// Pipes, devices and pixel caps belong to the image work (issue of the imaging room); the
/// claims here stay small enough that a decoder without a cap still fails by its data.
/// </summary>
internal static class ImageInputs
{
    public static IEnumerable<FuzzCase> Cases()
    {
        var m = new Mutator(5);
        byte[] pgm = FuzzFixture.Pgm();
        byte[] png = FuzzFixture.Png();
        int pgmHeader = pgm.Length - 64;

        for (int i = 0; i < 6; i++)
            yield return Image($"PGM truncated #{i}", "x.pgm", m.Truncate(pgm), false);
        for (int i = 0; i < 4; i++)
            yield return Image($"PGM pixel bit flip #{i}", "x.pgm", m.FlipBit(pgm, pgmHeader, pgm.Length), true);
        for (int i = 0; i < 4; i++)
            yield return Image($"PGM header bit flip #{i}", "x.pgm", m.FlipBit(pgm, 0, pgmHeader), true);
        foreach (string header in new[] { "P5\n0 8\n255\n", "P5\n-1 8\n255\n", "P5\n8 8\n0\n", "P5\n8 8\n65536\n", "P5\n8 8\n256\n",
                     "P5\n16384 16384\n255\n", "P5\n99999999999 8\n255\n", "P5\na 8\n255\n", "P9\n8 8\n255\n", "P5\n8" })
            yield return Image($"PGM header '{header.ReplaceLineEndings(" ").Trim()}'", "x.pgm", [.. Encoding.ASCII.GetBytes(header), .. pgm.AsSpan(pgmHeader)], false);

        // libpng stops reading once every row is inflated, so a cut inside the zlib checksum, the
        // IDAT CRC or IEND leaves a complete image that decodes: documented acceptance there only.
        int pixelsComplete = 8 + 25 + 8 + (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(33)) - 4;
        for (int i = 0; i < 8; i++)
        {
            byte[] cut = m.Truncate(png);
            yield return Image($"PNG truncated to {cut.Length} of {png.Length} bytes", "x.png", cut, cut.Length >= pixelsComplete);
        }
        for (int i = 0; i < 8; i++)
            yield return Image($"PNG bit flip #{i}", "x.png", m.FlipBit(png, 0, png.Length), true);
        foreach (var (what, offset, value) in new (string, int, uint)[]
        {
            ("width 0", 0, 0), ("height 0", 4, 0), ("width 2^31", 0, 0x8000_0000), ("height 4097", 4, 4097),
            ("width 16384", 0, 16384), ("width and height 65535", 0, 65535),
        })
        {
            byte[] edited = Mutator.WithUInt32BigEndian(png, FuzzPng.HeaderData + offset, value);
            if (what.Contains("and height", StringComparison.Ordinal)) edited = Mutator.WithUInt32BigEndian(edited, FuzzPng.HeaderData + 4, value);
            yield return Image($"PNG {what} (CRC fixed)", "x.png", FuzzPng.FixHeaderCrc(edited), false);
        }
        foreach (var (what, offset, value) in new (string, int, byte)[]
        {
            ("bit depth 3", 8, 3), ("bit depth 16", 8, 16), ("colour type 1", 9, 1), ("colour type 7", 9, 7), ("interlace 2", 12, 2),
        })
        {
            byte[] edited = (byte[])png.Clone();
            edited[FuzzPng.HeaderData + offset] = value;
            yield return Image($"PNG {what} (CRC fixed)", "x.png", FuzzPng.FixHeaderCrc(edited), false);
        }
        yield return Image("PNG without IEND", "x.png", png.AsSpan(0, png.Length - 12).ToArray(), true);
        yield return Image("empty file", "x.png", [], false);
        yield return Image("random bytes", "x.png", m.RandomBytes(500), false);
        yield return Image("text file", "x.png", "hello\n"u8.ToArray(), false);
        yield return new FuzzCase("image", "image is a folder", false, c =>
        {
            Directory.CreateDirectory(c.File("x.png"));
            return Predict(c, c.File("x.png"));
        });
    }

    private static FuzzCase Image(string name, string file, byte[] content, bool mayBeAccepted) =>
        new("image", name, mayBeAccepted, c =>
        {
            File.WriteAllBytes(c.File(file), content);
            return Predict(c, c.File(file));
        });

    private static string[] Predict(FuzzContext c, string image) => ["predict", "--checkpoint", c.Fixture.Checkpoint, image];
}
