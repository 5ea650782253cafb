namespace CnnNative.Data.Imaging;

/// <summary>How the 8-bit samples of one pixel are interleaved; the value is the channel count.</summary>
public enum PixelLayout
{
    /// <summary>One luminance sample per pixel.</summary>
    Gray = 1,
    /// <summary>Luminance, then alpha (0 = transparent).</summary>
    GrayAlpha = 2,
    /// <summary>Red, green, blue.</summary>
    Rgb = 3,
    /// <summary>Red, green, blue, then alpha (0 = transparent).</summary>
    Rgba = 4,
}
