namespace CnnNative.Data.Imaging;

/// <summary>How the 8-bit samples of one pixel are interleaved; the value is the channel count.</summary>
public enum PixelLayout
{
    Gray = 1,
    GrayAlpha = 2,
    Rgb = 3,
    Rgba = 4,
}
