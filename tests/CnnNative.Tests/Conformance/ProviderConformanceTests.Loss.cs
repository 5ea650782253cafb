using CnnNative.Core;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.Conformance;

// Softmax, softmax-with-cross-entropy forward/backward and the correct-prediction counter.
public abstract partial class ProviderConformanceTests
{
    public static TheoryData<int, int> RowsByClasses() => new()
    {
        { 1, 1 }, { 1, 10 }, { 3, 7 }, { 100, 10 }, { 5, 257 }, { 257, 3 }, { 2, 1000 }, { 17, 16 }, { 64, 33 },
    };

    /// <summary>Logits up to ±8, one row shifted by +80 and one by −80: exp must not overflow or underflow to NaN.</summary>
    private static float[] Logits(TestData data, int rows, int classes)
    {
        float[] logits = data.Uniform(rows * classes, -8, 8);
        if (rows > 1) for (int j = 0; j < classes; j++) logits[classes + j] += 80f;
        if (rows > 2) for (int j = 0; j < classes; j++) logits[2 * classes + j] -= 80f;
        return logits;
    }

    [ProviderTheory]
    [MemberData(nameof(RowsByClasses))]
    public void Softmax_matches_the_oracle(int rows, int classes)
    {
        foreach (bool inPlace in new[] { false, true })
        {
            using var h = Harness(rows, classes, inPlace ? 1 : 0, 51);
            var shape = new TensorShape(rows, classes);
            float[] values = Logits(h.Data, rows, classes);
            TensorPair logits, probs;
            if (inPlace) logits = probs = h.State(shape, values);
            else { logits = h.Input(shape, values); probs = h.Output(shape, Prefill.NaN); }
            string what = $"Softmax [{rows}, {classes}]{(inPlace ? " in place" : "")}";
            h.Run((p, t) => p.Softmax(t(logits), t(probs)), what);
            h.Check(probs, Tolerance.Transcendental, what);
        }
    }

    [ProviderTheory]
    [MemberData(nameof(RowsByClasses))]
    public void SoftmaxCrossEntropyForward_matches_the_oracle(int rows, int classes)
    {
        using var h = Harness(rows, classes, 52);
        var shape = new TensorShape(rows, classes);
        var logits = h.Input(shape, Logits(h.Data, rows, classes));
        var labels = h.Input(rows + 3, h.Data.Labels(rows + 3, classes)); // longer than N: only N labels count
        var probs = h.Output(shape, Prefill.NaN);
        var loss = h.Output(3); // only loss[0] is written
        string what = $"SoftmaxCrossEntropyForward [{rows}, {classes}]";
        h.Run((p, t) => p.SoftmaxCrossEntropyForward(t(logits), t(labels), t(probs), t(loss)), what);
        h.Check(probs, Tolerance.Transcendental, what + ": probs");
        h.Check(loss, new Tolerance(2e-6 * Math.Log(1e7), 1e-5), what + ": loss");
    }

    [ProviderTheory]
    [MemberData(nameof(RowsByClasses))]
    public void SoftmaxCrossEntropyBackward_matches_the_oracle(int rows, int classes)
    {
        foreach (bool inPlace in new[] { false, true })
        {
            using var h = Harness(rows, classes, inPlace ? 1 : 0, 53);
            var shape = new TensorShape(rows, classes);
            float[] softmax = h.Data.Uniform(rows * classes, 0, 1);
            var labels = h.Input(rows, h.Data.Labels(rows, classes));
            TensorPair probs, dx;
            if (inPlace) probs = dx = h.State(shape, softmax);
            else { probs = h.Input(shape, softmax); dx = h.Output(shape, Prefill.NaN); }
            string what = $"SoftmaxCrossEntropyBackward [{rows}, {classes}]{(inPlace ? ", dx is probs" : "")}";
            h.Run((p, t) => p.SoftmaxCrossEntropyBackward(t(probs), t(labels), t(dx)), what);
            h.Check(dx, Tolerance.Rounding.Times(2), what);
        }
    }

    [ProviderTheory]
    [MemberData(nameof(RowsByClasses))]
    public void CountCorrect_accumulates_first_maximum_hits(int rows, int classes)
    {
        using var h = Harness(rows, classes, 54);
        var shape = new TensorShape(rows, classes);
        // Scores in {0, 1, 2}: most rows hold ties, and the first maximum must win.
        var scores = h.Input(shape, h.Data.Levels(rows * classes, 0, 2));
        var labels = h.Input(rows, h.Data.Labels(rows, classes));
        var counter = h.State(2, [7f, 123f]); // counter[1] must stay as it is
        string what = $"CountCorrect [{rows}, {classes}]";
        h.Run((p, t) => p.CountCorrect(t(scores), t(labels), t(counter)), what);
        h.Check(counter, Tolerance.Exact, what + " once");
        h.Run((p, t) => p.CountCorrect(t(scores), t(labels), t(counter)), what);
        h.Check(counter, Tolerance.Exact, what + " twice (accumulated)");
    }
}
