namespace CnnNative.Nn.Filters;

/// <summary>
/// How a filter's response, which edge kernels make negative as often as positive, becomes pixels.
/// </summary>
internal enum FilterSign
{
    /// <summary>Clipped to 0…255 as the seed does (<c>np.clip</c>): negative responses become black.</summary>
    Clip,

    /// <summary>|response| clipped to 0…255: an edge is bright whichever way it runs (dark→light or light→dark).</summary>
    Abs,

    /// <summary>
    /// A diverging colour map scaled to the 99th percentile of |response|: negative blue, zero white,
    /// positive red (matplotlib's "bwr"), so both edge directions show and can be told apart. Gray input only.
    /// </summary>
    Diverging,
}

/// <summary>Turns raw filter responses into 8-bit pixels according to a <see cref="FilterSign"/>.</summary>
internal static class FilterOutput
{
    /// <summary>One byte per response for <see cref="FilterSign.Clip"/> and <see cref="FilterSign.Abs"/>.</summary>
    public static byte[] Gray(ReadOnlySpan<float> responses, FilterSign sign)
    {
        if (sign == FilterSign.Diverging)
            throw new ArgumentException("A diverging map gives colour pixels; use Diverging().", nameof(sign));
        var result = new byte[responses.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = ImageFilter.ClipToByte(sign == FilterSign.Abs ? MathF.Abs(responses[i]) : responses[i]);
        return result;
    }

    /// <summary>The share of responses below the value that maps to full colour; the rest saturate.</summary>
    public const double DivergingPercentile = 0.99;

    /// <summary>
    /// Interleaved RGB bytes: t = response / s clamped to [−1, 1], where s is the
    /// <see cref="DivergingPercentile"/> quantile of |response| (the value at index ⌊0.99·(n − 1)⌋
    /// of the sorted magnitudes), so a few extreme pixels — the zero-padded border of a bright image —
    /// do not wash the rest out; t &lt; 0 fades white to blue (255·(1+t), 255·(1+t), 255),
    /// t &gt; 0 white to red (255, 255·(1−t), 255·(1−t)); all white when every response is 0.
    /// </summary>
    public static byte[] Diverging(ReadOnlySpan<float> responses)
    {
        var magnitudes = new float[responses.Length];
        for (int i = 0; i < magnitudes.Length; i++)
            magnitudes[i] = float.IsFinite(responses[i]) ? MathF.Abs(responses[i]) : 0f;
        Array.Sort(magnitudes);
        float largest = magnitudes.Length == 0 ? 0f : magnitudes[(int)(DivergingPercentile * (magnitudes.Length - 1))];
        float scale = largest > 0f ? 1f / largest : 0f;
        var rgb = new byte[responses.Length * 3];
        for (int i = 0; i < responses.Length; i++)
        {
            float t = float.IsFinite(responses[i]) ? Math.Clamp(responses[i] * scale, -1f, 1f) : 0f;
            byte fade = (byte)MathF.Round(255f * (1f - MathF.Abs(t)));
            (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = t < 0 ? (fade, fade, (byte)255) : ((byte)255, fade, fade);
        }
        return rgb;
    }
}
