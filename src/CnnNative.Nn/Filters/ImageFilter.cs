using CnnNative.Core;

namespace CnnNative.Nn.Filters;

/// <summary>
/// Runs an <see cref="ImageKernel"/> over a gray image as a one-channel, one-filter convolution
/// on a compute provider: the image goes up as [1, 1, H, W], <see cref="IComputeProvider.Im2Col"/>
/// unfolds it and one <see cref="IComputeProvider.Gemm"/> with the kernel as a [KH·KW, 1] column
/// produces the output, already in row-major image order. This is the seed's <c>convolve2d</c>
/// on a zero-padded image (correlation, output the same size as the input), computed the way
/// the network computes its convolution layers.
/// </summary>
internal static class ImageFilter
{
    /// <summary>Upper bound on im2col elements per pass (32 MiB of floats); taller images go through in horizontal bands.</summary>
    internal const int DefaultMaxColumnElements = 1 << 23;

    /// <summary>
    /// out[y, x] = Σ_{i,j} kernel[i, j] · image[y + i − KH/2, x + j − KW/2], with zeros outside the
    /// image; raw values, not clipped. <paramref name="image"/> is row-major, <paramref name="width"/> × <paramref name="height"/>.
    /// </summary>
    public static float[] Correlate(IComputeProvider provider, ImageKernel kernel, ReadOnlySpan<float> image, int width, int height) =>
        Correlate(provider, kernel, image, width, height, DefaultMaxColumnElements);

    /// <summary>
    /// The seed's pipeline on 8-bit pixels: correlate, then <c>np.clip(…, 0, 255).astype(np.uint8)</c>
    /// (see <see cref="ClipToByte"/>).
    /// </summary>
    public static byte[] Apply(IComputeProvider provider, ImageKernel kernel, ReadOnlySpan<byte> image, int width, int height)
    {
        var values = new float[image.Length];
        for (int i = 0; i < values.Length; i++) values[i] = image[i];
        float[] filtered = Correlate(provider, kernel, values, width, height);
        var result = new byte[filtered.Length];
        for (int i = 0; i < result.Length; i++) result[i] = ClipToByte(filtered[i]);
        return result;
    }

    /// <summary>
    /// Clips to 0…255 and drops the fraction, as the seed's <c>astype(np.uint8)</c> does. A
    /// tolerance of 1/1024 absorbs float rounding, so a value that is exactly an integer in real
    /// arithmetic (the mean of nine 100s) does not lose a level by landing a hair below it; the
    /// seed's kernels have fractions in steps of 1/256 or 1/9, so no true fraction is that close.
    /// </summary>
    public static byte ClipToByte(float value)
    {
        if (!(value > 0f)) return 0; // NaN too
        float nudged = value + 1f / 1024;
        return nudged >= 255f ? (byte)255 : (byte)nudged;
    }

    internal static float[] Correlate(IComputeProvider provider, ImageKernel kernel, ReadOnlySpan<float> image,
        int width, int height, int maxColumnElements)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(kernel);
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"An image needs a positive width and height, got {width}×{height}.", nameof(width));
        if (image.Length != (long)width * height)
            throw new ArgumentException($"A {width}×{height} image needs {(long)width * height} pixels, got {image.Length}.", nameof(image));

        int kh = kernel.Height, kw = kernel.Width, patch = kh * kw;
        int halo = kh / 2;
        // Rows per band: as many as keep the im2col matrix (rows·W × KH·KW) under the bound.
        int bandRows = (int)Math.Clamp(maxColumnElements / ((long)width * patch), 1, height);
        int inputRows = bandRows + kh - 1;

        using Tensor input = provider.Allocate(new TensorShape(1, 1, inputRows, width));
        using Tensor columns = provider.Allocate(new TensorShape(bandRows * width, patch));
        using Tensor weights = provider.Allocate(new TensorShape(patch, 1));
        using Tensor output = provider.Allocate(new TensorShape(bandRows * width, 1));
        provider.Upload(kernel.Weights, weights);

        var band = new float[inputRows * width];
        var result = new float[width * height];
        for (int top = 0; top < height; top += bandRows)
        {
            int rows = Math.Min(bandRows, height - top);
            int rowsIn = rows + kh - 1;
            // The band plus KH/2 rows of context above and below: real neighbours inside the
            // image, zeros (the seed's np.pad) beyond its top and bottom edges. Left and right
            // padding is Im2Col's own.
            for (int r = 0; r < rowsIn; r++)
            {
                int source = top - halo + r;
                Span<float> destination = band.AsSpan(r * width, width);
                if (source < 0 || source >= height) destination.Clear();
                else image.Slice(source * width, width).CopyTo(destination);
            }
            provider.Upload(band.AsSpan(0, rowsIn * width), input);
            var geometry = new ConvGeometry(1, 1, rowsIn, width, kh, kw, 1, 1, padHeight: 0, padWidth: kw / 2);
            provider.Im2Col(input, geometry, columns);
            provider.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, rows * width, 1, patch, 1f, columns, weights, 0f, output);
            provider.Download(output, result.AsSpan(top * width, rows * width));
        }
        return result;
    }
}
