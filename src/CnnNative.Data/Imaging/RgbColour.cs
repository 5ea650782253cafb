using System.Globalization;

namespace CnnNative.Data.Imaging;

/// <summary>
/// An opaque 8-bit colour: the background that transparent pixels are composited on
/// (<c>--background white|black|gray|#rrggbb</c>; white by default, as a viewer shows them).
/// </summary>
public readonly record struct RgbColour(byte R, byte G, byte B)
{
    /// <summary>#ffffff, the default background.</summary>
    public static RgbColour White { get; } = new(255, 255, 255);

    /// <summary>#000000.</summary>
    public static RgbColour Black { get; } = new(0, 0, 0);

    /// <summary>The colour's BT.601 luma: what a transparent pixel becomes in a gray image.</summary>
    public byte Luma => GrayImage.Luma(R, G, B);

    /// <summary>"white", "black", "gray" or a hex colour "#rrggbb" (the # is optional).</summary>
    public static RgbColour Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        switch (t.ToLowerInvariant())
        {
            case "white": return White;
            case "black": return Black;
            case "gray" or "grey": return new RgbColour(128, 128, 128);
        }
        string hex = t.StartsWith('#') ? t[1..] : t;
        if (hex.Length == 6 && uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint v))
            return new RgbColour((byte)(v >> 16), (byte)(v >> 8), (byte)v);
        throw new FormatException($"'{text}' is not a colour: give white, black, gray or a hex colour such as #ff8000.");
    }

    /// <summary>The colour as "#rrggbb" (lower-case hex), which <see cref="Parse"/> reads back.</summary>
    public override string ToString() => $"#{R:x2}{G:x2}{B:x2}";
}
