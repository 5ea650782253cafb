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
    /// A diverging colour map scaled to the largest |response|: negative blue, zero white, positive
    /// red (matplotlib's "bwr"), so both edge directions show and can be told apart. Gray input only.
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

    /// <summary>
    /// Interleaved RGB bytes: t = response / max |response| (0 when all are 0); t &lt; 0 fades white
    /// to blue (255·(1+t), 255·(1+t), 255), t &gt; 0 white to red (255, 255·(1−t), 255·(1−t)).
    /// </summary>
    public static byte[] Diverging(ReadOnlySpan<float> responses)
    {
        float largest = 0f;
        foreach (float v in responses)
            if (float.IsFinite(v)) largest = MathF.Max(largest, MathF.Abs(v));
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
