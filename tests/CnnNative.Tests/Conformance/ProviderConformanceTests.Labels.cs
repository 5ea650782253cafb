using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// A label that is not a class index fails the same way on every provider: an
// ArgumentOutOfRangeException naming labels and the row — at the call on a host provider, at the
// latest with the next download or synchronisation on a device provider — never a NaN loss.
public abstract partial class ProviderConformanceTests
{
    [ProviderTheory]
    [InlineData(-1f)]
    [InlineData(4f)]
    [InlineData(1e9f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_label_outside_the_classes_throws_naming_the_row(float bad)
    {
        const int rows = 5, classes = 4;
        var logits = Scratch(rows, classes);
        var labels = Scratch(rows);
        var probs = Scratch(rows, classes);
        var dx = Scratch(rows, classes);
        var loss = Scratch(1);
        float[] values = [0, 1, 2, bad, 3];
        Provider.Upload(values, labels);
        var host = new float[1];

        var forward = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            Provider.SoftmaxCrossEntropyForward(logits, labels, probs, loss);
            Provider.Download(loss, host);
        });
        Assert.Equal("labels", forward.ParamName);
        Assert.Contains($"labels[3] = {bad} is not a class index in [0, {classes})", forward.Message);

        var backward = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            Provider.SoftmaxCrossEntropyBackward(probs, labels, dx);
            Provider.Synchronize();
        });
        Assert.Equal("labels", backward.ParamName);
        Assert.Contains("labels[3]", backward.Message);

        // The error is reported once; the provider goes on with good labels.
        values[3] = 2.5f; // a fraction names the class it truncates to, as everywhere
        Provider.Upload(values, labels);
        Provider.SoftmaxCrossEntropyForward(logits, labels, probs, loss);
        Provider.Download(loss, host);
        Assert.Equal(Math.Log(classes), host[0], 1e-5); // zero logits: uniform probabilities
    }
}
