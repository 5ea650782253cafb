using CnnNative.Core;
using CnnNative.Providers.Managed;
using CnnNative.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CnnNative.Tests.Managed;

/// <summary>
/// Each of the managed provider's convolution algorithms, forced, against the double reference on
/// all three passes, over geometries that cross its edges: odd sizes (partial Winograd tiles),
/// filter counts around the 16-lane and 32-column panels, padding 0/1/2 (the input gradient then
/// runs with padding 2/1/0), tile blocks spanning images and tile rows, one and two threads.
/// The tolerance reflects each algorithm's arithmetic: im2col and direct are float sums of the
/// patch (<see cref="Tolerance.Sum"/>); Winograd F(2×2, 3×3) transforms add and subtract up to
/// four inputs, four filter values and four products before and after the sum, which widens the
/// rounding of each product by about one order of magnitude (measured: <see cref="Winograd_error_is_stated"/>).
/// </summary>
public sealed class ConvolutionAlgorithmTests(ITestOutputHelper output)
{
    /// <summary>Winograd's extra rounding over a plain float sum of the same terms (measured: within the plain tolerance, 0.06–0.12 of it against im2col's 0.04–0.15; see the test output).</summary>
    private const double WinogradWidening = 4;

    public static TheoryData<ConvolutionAlgorithm, int, int, int, int, int, int, int> Cases()
    {
        var data = new TheoryData<ConvolutionAlgorithm, int, int, int, int, int, int, int>();
        foreach (var algorithm in (ConvolutionAlgorithm[])[ConvolutionAlgorithm.Im2Col, ConvolutionAlgorithm.Direct, ConvolutionAlgorithm.Winograd, ConvolutionAlgorithm.ShiftedGemm])
        {
            // algorithm, batch, channels, height, width, pad, filters, threads
            data.Add(algorithm, 2, 3, 8, 8, 1, 5, 1);      // fewer filters than one vector
            data.Add(algorithm, 3, 17, 13, 11, 1, 33, 2);  // odd sizes: partial tiles; 33 filters cross a panel
            data.Add(algorithm, 2, 8, 9, 10, 0, 16, 2);    // no padding: the input gradient pads by 2
            data.Add(algorithm, 2, 4, 6, 20, 2, 12, 1);    // padding 2: the input gradient pads by 0
            data.Add(algorithm, 6, 32, 7, 7, 1, 40, 2);    // vgg-small's 7×7 stage: blocks span images and tile rows
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_pass_matches_the_reference(ConvolutionAlgorithm algorithm, int batch, int channels, int height, int width, int pad, int filters, int threads)
    {
        var g = ConvGeometry.Square(batch, channels, height, width, 3, pad: pad);
        var errors = Run(algorithm, g, filters, threads, assert: true);
        output.WriteLine($"{algorithm} {g} F={filters}: worst error / plain-sum tolerance: forward {errors.Forward:F2}, input gradient {errors.Input:F2}, weights {errors.Weights:F2}");
    }

    /// <summary>
    /// Inference's conv → batch-norm → ReLU as one operation with each algorithm forced: Winograd
    /// applies scale, shift and ReLU in its output transform, the others in one pass after the
    /// convolution. The batch-norm factor γ/√(σ² + ε) (below 2.2 here) scales the convolution's error.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Fused_batch_norm_forward_matches_the_reference(ConvolutionAlgorithm algorithm, int batch, int channels, int height, int width, int pad, int filters, int threads)
    {
        var g = ConvGeometry.Square(batch, channels, height, width, 3, pad: pad);
        using var p = new ManagedVsReference(threads, seed: g.Channels * 37 + filters);
        p.Managed.ConvolutionAlgorithm = algorithm;
        var x = p.Random(new TensorShape(g.Batch, g.Channels, g.Height, g.Width));
        var w = p.Random(new TensorShape(filters, g.Channels, 3, 3));
        var b = p.Random(new TensorShape(filters));
        var gamma = p.Random(new TensorShape(filters), 0.5, 1.5);
        var beta = p.Random(new TensorShape(filters));
        var mean = p.Random(new TensorShape(filters), -0.5, 0.5);
        var variance = p.Random(new TensorShape(filters), 0.5, 2);
        foreach (bool relu in new[] { false, true })
        {
            var y = p.Random(new TensorShape(g.Batch, filters, g.OutputHeight, g.OutputWidth), double.NaN, double.NaN);
            p.Managed.ConvolutionForwardBatchNorm(x.M, g, w.M, b.M, gamma.M, beta.M, mean.M, variance.M, 1e-6f, relu, y.M);
            p.Reference.ConvolutionForwardBatchNorm(x.R, g, w.R, b.R, gamma.R, beta.R, mean.R, variance.R, 1e-6f, relu, y.R);
            double worst = Worst(p, y, Tolerance.Sum(g.PatchSize + 4, 1).Times(2.2), algorithm == ConvolutionAlgorithm.Winograd ? WinogradWidening : 1,
                assert: true, relu ? "fused forward + ReLU" : "fused forward");
            output.WriteLine($"{algorithm} {g} F={filters} relu={relu}: worst error / tolerance {worst:F2}");
        }
    }

    /// <summary>
    /// A pass gives the same bits whatever its scratch held before (another batch size ran in
    /// between): resumed training repeats an uninterrupted run bit for bit only then.
    /// </summary>
    [Theory]
    [InlineData(ConvolutionAlgorithm.Winograd)]
    [InlineData(ConvolutionAlgorithm.Direct)]
    [InlineData(ConvolutionAlgorithm.Im2Col)]
    [InlineData(ConvolutionAlgorithm.ShiftedGemm)]
    public void Every_pass_repeats_bit_for_bit_after_other_geometries_ran(ConvolutionAlgorithm algorithm)
    {
        using var p = new ManagedVsReference(2, seed: 5);
        p.Managed.ConvolutionAlgorithm = algorithm;
        var g = ConvGeometry.Square(32, 1, 8, 8, 3, pad: 1);
        var other = ConvGeometry.Square(16, 1, 8, 8, 3, pad: 1);
        var x = p.Random(new TensorShape(32, 1, 8, 8));
        var xOther = p.Random(new TensorShape(16, 1, 8, 8), -50, 50);
        var w = p.Random(new TensorShape(4, 1, 3, 3));
        var b = p.Random(new TensorShape(4));
        var dy = p.Random(new TensorShape(32, 4, 8, 8));
        var dyOther = p.Random(new TensorShape(16, 4, 8, 8), -50, 50);
        float[] Run()
        {
            var m = p.Managed;
            using var y = m.Allocate(new TensorShape(32, 4, 8, 8));
            using var dw = m.Allocate(new TensorShape(4, 1, 3, 3));
            using var db = m.Allocate(new TensorShape(4));
            using var dx = m.Allocate(new TensorShape(32, 1, 8, 8));
            m.ConvolutionForward(x.M, g, w.M, b.M, y);
            m.ConvolutionWeightGradient(dy.M, x.M, g, dw, db);
            m.ConvolutionInputGradient(dy.M, g, w.M, 4, dx);
            var all = new float[y.Length + dw.Length + db.Length + dx.Length];
            m.Download(y, all.AsSpan(0, (int)y.Length));
            m.Download(dw, all.AsSpan((int)y.Length, (int)dw.Length));
            m.Download(db, all.AsSpan((int)(y.Length + dw.Length), (int)db.Length));
            m.Download(dx, all.AsSpan((int)(y.Length + dw.Length + db.Length)));
            return all;
        }
        var first = Run();
        using (var yOther = p.Managed.Allocate(new TensorShape(16, 4, 8, 8)))
        using (var dwOther = p.Managed.Allocate(new TensorShape(4, 1, 3, 3)))
        using (var dbOther = p.Managed.Allocate(new TensorShape(4)))
        using (var dxOther = p.Managed.Allocate(new TensorShape(16, 1, 8, 8)))
        {
            p.Managed.ConvolutionForward(xOther.M, other, w.M, b.M, yOther);
            p.Managed.ConvolutionWeightGradient(dyOther.M, xOther.M, other, dwOther, dbOther);
            p.Managed.ConvolutionInputGradient(dyOther.M, other, w.M, 4, dxOther);
        }
        var second = Run();
        for (int i = 0; i < first.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(first[i]) == BitConverter.SingleToInt32Bits(second[i]),
                $"{algorithm}: value {i} of {first.Length} is {first[i]} first, {second[i]} after another geometry ran");
    }

    /// <summary>
    /// The direct kernels at both vector widths, so a machine without AVX-512 is covered on one that
    /// has it: 28 outputs per row (AVX-512 takes 16-wide chunks, forward and gradient) and
    /// SimpleConvNet's 30 filters of 5×5 (AVX-512 takes 10-filter blocks of 16 + 8 outputs).
    /// </summary>
    [Theory]
    [InlineData(256, 3, 1, 32)]
    [InlineData(512, 3, 1, 32)]
    [InlineData(256, 5, 0, 30)]
    [InlineData(512, 5, 0, 30)]
    public void Direct_kernels_match_the_reference_at_both_vector_widths(int simd, int kernel, int pad, int filters)
    {
        var g = ConvGeometry.Square(4, 1, 28, 28, kernel, pad: pad);
        var errors = Run(ConvolutionAlgorithm.Direct, g, filters, 2, assert: true, (SimdWidth)simd);
        output.WriteLine($"Direct {simd} {g} F={filters}: worst error / tolerance: forward {errors.Forward:F2}, weights {errors.Weights:F2}");
    }

    [Fact]
    public void Winograd_error_is_stated()
    {
        // The 64→64 layer (one image): Winograd's worst error against the reference, as a
        // multiple of the plain float sum's tolerance, beside im2col's on the same data.
        var g = ConvGeometry.Square(2, 64, 16, 16, 3, pad: 1);
        var plain = Run(ConvolutionAlgorithm.Im2Col, g, 64, 2, assert: true);
        var winograd = Run(ConvolutionAlgorithm.Winograd, g, 64, 2, assert: true);
        output.WriteLine($"64→64 3×3 pad 1: worst |error| / Sum tolerance — im2col forward {plain.Forward:F2}, input gradient {plain.Input:F2}, weights {plain.Weights:F2}; " +
                         $"Winograd forward {winograd.Forward:F2}, input gradient {winograd.Input:F2}, weights {winograd.Weights:F2}");
        Assert.True(winograd.Forward <= WinogradWidening && winograd.Input <= WinogradWidening && winograd.Weights <= WinogradWidening);
    }

    private readonly record struct Errors(double Forward, double Input, double Weights);

    /// <summary>Runs the three passes forced to <paramref name="algorithm"/>; returns each pass's worst error as a fraction of the plain float-sum tolerance.</summary>
    private static Errors Run(ConvolutionAlgorithm algorithm, ConvGeometry g, int filters, int threads, bool assert, SimdWidth simd = SimdWidth.Best)
    {
        using var p = new ManagedVsReference(threads, seed: g.Channels * 31 + filters, simd);
        p.Managed.ConvolutionAlgorithm = algorithm;
        var x = p.Random(new TensorShape(g.Batch, g.Channels, g.Height, g.Width));
        var w = p.Random(new TensorShape(filters, g.Channels, g.KernelHeight, g.KernelWidth));
        var b = p.Random(new TensorShape(filters));
        var yShape = new TensorShape(g.Batch, filters, g.OutputHeight, g.OutputWidth);
        var y = p.Random(yShape, double.NaN, double.NaN); // NaN-filled: a kernel that skips an element fails
        var dy = p.Random(yShape);
        var dx = p.Random(new TensorShape(g.Batch, g.Channels, g.Height, g.Width), double.NaN, double.NaN);
        var dw = p.Random(new TensorShape(filters, g.Channels, g.KernelHeight, g.KernelWidth), double.NaN, double.NaN);
        var db = p.Random(new TensorShape(filters), double.NaN, double.NaN);

        p.Managed.ConvolutionForward(x.M, g, w.M, b.M, y.M);
        p.Reference.ConvolutionForward(x.R, g, w.R, b.R, y.R);
        p.Managed.ConvolutionInputGradient(dy.M, g, w.M, filters, dx.M);
        p.Reference.ConvolutionInputGradient(dy.R, g, w.R, filters, dx.R);
        p.Managed.ConvolutionWeightGradient(dy.M, x.M, g, dw.M, db.M);
        p.Reference.ConvolutionWeightGradient(dy.R, x.R, g, dw.R, db.R);

        bool winograd = algorithm == ConvolutionAlgorithm.Winograd;
        var forwardTolerance = Tolerance.Sum(g.PatchSize + 1, 1);
        var inputTolerance = Tolerance.Sum(filters * g.KernelHeight * g.KernelWidth, 1);
        var weightTolerance = Tolerance.Sum(g.Batch * g.OutputHeight * g.OutputWidth, 1);
        var errors = new Errors(
            Worst(p, y, forwardTolerance, winograd ? WinogradWidening : 1, assert, "forward"),
            Worst(p, dx, inputTolerance, winograd ? WinogradWidening : 1, assert, "input gradient"),
            Worst(p, dw, weightTolerance, winograd ? WinogradWidening : 1, assert, "weight gradient"));
        Worst(p, db, weightTolerance, 1, assert, "bias gradient");
        return errors;
    }

    /// <summary>The worst |managed − reference| as a fraction of <paramref name="tolerance"/>'s bound; asserts it is within <paramref name="widening"/>.</summary>
    private static double Worst(ManagedVsReference p, (Tensor M, Tensor R) pair, Tolerance tolerance, double widening, bool assert, string what)
    {
        var m = new float[pair.M.Length];
        var r = new double[pair.R.Length];
        p.Managed.Download(pair.M, m);
        p.Reference.Download(pair.R, r);
        double worst = 0;
        for (int i = 0; i < m.Length; i++)
        {
            double bound = tolerance.Atol + tolerance.Rtol * Math.Abs(r[i]);
            double ratio = Math.Abs(m[i] - r[i]) / bound;
            if (!(ratio <= widening) && assert)
                Assert.Fail($"{what}: element {i} of {m.Length} is {m[i]}, reference {r[i]} (error {ratio:F1}× the tolerance, allowed {widening}×).");
            worst = Math.Max(worst, ratio);
        }
        return worst;
    }
}
