using CnnNative.Data;

namespace CnnNative.Tests.Data;

/// <summary>VGG's preprocessing against the seed's numbers, its inverse, and its refusals.</summary>
public sealed class PreprocessingTests
{
    [Fact]
    public void Vgg_reorders_to_bgr_scales_to_255_and_subtracts_the_imagenet_means()
    {
        // Two pixels per plane; sample 2 repeats sample 1 to check every sample is done.
        float[] rgb = [1f, 0.2f, /* G */ 0.5f, 0f, /* B */ 0f, 0.4f];
        float[] values = [.. rgb, .. rgb];
        Preprocessing.Vgg.Apply(values, 3, 2);
        float[] expected =
        [
            0f * 255 - 103.939f, 0.4f * 255 - 103.939f,   // B
            0.5f * 255 - 116.779f, 0f * 255 - 116.779f,   // G
            1f * 255 - 123.68f, 0.2f * 255 - 123.68f,     // R
        ];
        Assert.Equal([.. expected, .. expected], values);

        Preprocessing.Vgg.Undo(values, 3, 2);
        for (int i = 0; i < values.Length; i++) Assert.Equal(rgb[i % 6], values[i], 5);
    }

    [Fact]
    public void None_changes_nothing_and_names_parse_both_ways()
    {
        float[] values = [0.25f, 0.5f];
        Preprocessing.None.Apply(values, 1, 2);
        Assert.Equal([0.25f, 0.5f], values);
        Assert.Same(Preprocessing.Vgg, Preprocessing.Parse(" VGG "));
        Assert.Same(Preprocessing.None, Preprocessing.Parse(Preprocessing.None.Name));
        Assert.Contains("choose none or vgg", Assert.Throws<FormatException>(() => Preprocessing.Parse("caffe")).Message);
    }

    [Fact]
    public void A_preprocessed_data_set_is_a_copy_that_says_so_and_is_not_preprocessed_twice()
    {
        var data = new Dataset("d", [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f], [0f, 1f], 3, 1, 1, ClassNames.Digits);
        var vgg = data.Preprocessed(Preprocessing.Vgg);
        Assert.Same(Preprocessing.Vgg, vgg.Preprocessing);
        Assert.Equal(0.1f, data.Images[0]);
        Assert.Equal(0.3f * 255 - 103.939f, vgg.Images[0], 4);
        Assert.Same(Preprocessing.Vgg, vgg.Slice(1, 1).Preprocessing);
        Assert.Throws<ArgumentException>(() => vgg.Preprocessed(Preprocessing.Vgg));
        var gray = new Dataset("g", [0.1f, 0.2f], [0f, 1f], 1, 1, 1, ClassNames.Digits);
        Assert.Contains("needs 3-channel images", Assert.Throws<ArgumentException>(() => gray.Preprocessed(Preprocessing.Vgg)).Message);
    }
}
