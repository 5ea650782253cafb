using CnnNative.Data.Imaging;

namespace CnnNative.Tests.Imaging;

public sealed class MnistPreprocessorTests
{
    [Fact]
    public void ShiftedBlobIsScaledTo20AndCentredByMass()
    {
        // A 10×6 white rectangle near the corner of a 60×40 black image.
        GrayImage image = Draw(60, 40, (x, y) => x is >= 5 and < 15 && y is >= 3 and < 9 ? (byte)255 : (byte)0);

        float[] field = MnistPreprocessor.Preprocess(image);

        Assert.Equal(28 * 28, field.Length);
        // Longer side 10 → 20, so 6 → 12; the centre of mass (10, 6) moves to (14, 14).
        var (left, top, right, bottom) = Bounds(field);
        Assert.Equal((4, 8, 23, 19), (left, top, right, bottom));
        var (cx, cy) = CentreOfMass(field);
        Assert.Equal(14.0, cx, 6);
        Assert.Equal(14.0, cy, 6);
        Assert.All(field, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void MassNotBoxDecidesThePlacement()
    {
        // An L: heavy vertical bar on the left, thin foot. Its box centre is not its mass centre,
        // and MNIST centres the mass: the mass must end within half a pixel of the centre.
        GrayImage image = Draw(50, 50, (x, y) =>
            (x is >= 30 and < 36 && y is >= 10 and < 40) || (x is >= 30 and < 48 && y is >= 38 and < 40) ? (byte)255 : (byte)0);

        float[] field = MnistPreprocessor.Preprocess(image);

        var (cx, cy) = CentreOfMass(field);
        Assert.InRange(cx, 13.5, 14.5);
        Assert.InRange(cy, 13.5, 14.5);
        var (left, _, right, _) = Bounds(field);
        Assert.True(14 - left < right - 14, "the bar (most of the mass) sits near the centre, the foot sticks out right");
    }

    [Fact]
    public void DarkOnLightIsInvertedWhenAsked()
    {
        GrayImage image = Draw(30, 30, (x, y) => x is >= 10 and < 20 && y is >= 5 and < 25 ? (byte)0 : (byte)255);

        Assert.True(MnistPreprocessor.LooksDarkOnLight(image));
        float[] field = MnistPreprocessor.Preprocess(image, new MnistPreprocessOptions { Invert = true });

        Assert.Equal(1f, field[14 * 28 + 14]);
        Assert.Equal(0f, field[0]);
        var (left, top, right, bottom) = Bounds(field);
        Assert.Equal((9, 4, 18, 23), (left, top, right, bottom)); // 10×20 placed so mass sits at 14
    }

    [Fact]
    public void BackgroundNoiseBelowTheThresholdDoesNotWidenTheBox()
    {
        GrayImage image = Draw(40, 40, (x, y) => x is >= 10 and < 20 && y is >= 10 and < 30 ? (byte)255 : (byte)((x * 7 + y) % 20));

        float[] field = MnistPreprocessor.Preprocess(image);

        var (left, top, right, bottom) = Bounds(field, threshold: 0.5f);
        Assert.Equal(20, bottom - top + 1);
        Assert.Equal(10, right - left + 1);
    }

    [Fact]
    public void BlankImageExplainsItself()
    {
        var error = Assert.Throws<ArgumentException>(() => MnistPreprocessor.Preprocess(new GrayImage(10, 10)));

        Assert.Contains("no ink", error.Message);
        Assert.Contains("--invert", error.Message);
    }

    private static GrayImage Draw(int width, int height, Func<int, int, byte> pixel)
    {
        var image = new GrayImage(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = pixel(x, y);
        return image;
    }

    private static (int Left, int Top, int Right, int Bottom) Bounds(float[] field, float threshold = 0f)
    {
        int left = 28, top = 28, right = -1, bottom = -1;
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                if (field[y * 28 + x] > threshold)
                {
                    left = Math.Min(left, x); right = Math.Max(right, x);
                    top = Math.Min(top, y); bottom = Math.Max(bottom, y);
                }
        return (left, top, right, bottom);
    }

    /// <summary>Centre of mass with pixel x covering [x, x + 1), so the field's centre is (14, 14).</summary>
    private static (double X, double Y) CentreOfMass(float[] field)
    {
        double mass = 0, sx = 0, sy = 0;
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                double v = field[y * 28 + x];
                mass += v; sx += v * (x + 0.5); sy += v * (y + 0.5);
            }
        return (sx / mass, sy / mass);
    }
}
