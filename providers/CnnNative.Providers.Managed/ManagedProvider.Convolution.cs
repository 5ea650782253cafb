using System.Diagnostics;
using CnnNative.Core;
using CnnNative.Providers.Managed.Gemm;
using CnnNative.Providers.Managed.Kernels;

namespace CnnNative.Providers.Managed;

/// <summary>How the managed provider computes one pass of a convolution.</summary>
public enum ConvolutionAlgorithm
{
    /// <summary>Measure the candidates once per geometry and pass, then keep the fastest (the default).</summary>
    Auto,

    /// <summary>im2col + GEMM (+ transpose), in the provider's own scratch; the weight gradient one image at a time.</summary>
    Im2Col,

    /// <summary>Weight gradient only, stride 1: one GEMM per kernel tap on shifted reads of the zero-padded image, no im2col.</summary>
    ShiftedGemm,

    /// <summary>The direct vector kernels (stride 1, at least 8 outputs per row): forward and weight gradient.</summary>
    Direct,

    /// <summary>Winograd F(2×2, 3×3) (3×3, stride 1, padding ≤ 2, AVX-512): forward and input gradient.</summary>
    Winograd,
}

// The convolution's three passes with a choice of algorithm, the way cuDNN's algorithm search
// works: the first call of a (geometry, filters, pass) times every algorithm that applies (each
// run twice after a warm-up run, the best time kept) and caches the fastest; later calls run it
// directly. ConvolutionAlgorithm forces one (where it applies) for tests and for runs that must
// repeat bit for bit. im2col runs here too, in the provider's own scratch, so the layer can hand
// every pass of a claimed geometry to the provider whichever algorithm wins.
public partial class ManagedProvider
{
    private readonly Dictionary<(ConvGeometry Geometry, int Filters, ConvPass Pass), ConvolutionAlgorithm> _convChoices = new();
    private readonly NativeScratch _convCol = new(), _convRows = new(), _winogradFilters = new(), _convEpilogue = new();
    private WinogradWork _winograd = null!;
    private ImageGemmWeightGradientWork _imageWeightGradient = null!;
    private ConvolutionAlgorithm _forcedConvolution;

    private enum ConvPass { Forward, WeightGradient, InputGradient }

    /// <summary>
    /// The algorithm every convolution pass uses where it applies (others fall back to im2col);
    /// <see cref="ConvolutionAlgorithm.Auto"/> (default) measures and keeps the fastest.
    /// Setting it forgets the measured choices.
    /// </summary>
    public ConvolutionAlgorithm ConvolutionAlgorithm
    {
        get => _forcedConvolution;
        set
        {
            _forcedConvolution = value;
            _convChoices.Clear();
        }
    }

    /// <summary>The algorithm the last convolution pass ran (for profiles).</summary>
    internal ConvolutionAlgorithm LastConvolutionAlgorithm { get; private set; }

    /// <summary>
    /// Yes where an algorithm other than im2col applies: the direct kernels for small patches
    /// (at most 32 values, where im2col + GEMM is mostly memory passes) and Winograd for 3×3 stride-1
    /// layers. Which one runs is then measured per pass.
    /// </summary>
    public override bool PrefersDirectConvolution(in ConvGeometry geometry) =>
        (DirectConvWork.Vectorized(geometry) && geometry.PatchSize <= 32) || (Simd == SimdWidth.Vector512 && WinogradWork.Supports(geometry));

    private bool Applies(ConvolutionAlgorithm algorithm, ConvPass pass, in ConvGeometry g) => algorithm switch
    {
        ConvolutionAlgorithm.Im2Col => true,
        ConvolutionAlgorithm.Direct => pass != ConvPass.InputGradient && DirectConvWork.Vectorized(g),
        ConvolutionAlgorithm.ShiftedGemm => pass == ConvPass.WeightGradient && ImageGemmWeightGradientWork.CanShift(g),
        ConvolutionAlgorithm.Winograd => Simd == SimdWidth.Vector512 && WinogradWork.Supports(g),
        _ => false,
    };

    /// <summary>The algorithm for this pass when it is forced or already measured (no allocation: the warm path).</summary>
    private bool TryChosen(ConvPass pass, in ConvGeometry g, int filters, out ConvolutionAlgorithm algorithm)
    {
        if (_forcedConvolution != ConvolutionAlgorithm.Auto)
        {
            algorithm = Applies(_forcedConvolution, pass, g) ? _forcedConvolution : ConvolutionAlgorithm.Im2Col;
            return true;
        }
        return _convChoices.TryGetValue((g, filters, pass), out algorithm);
    }

    /// <summary>First call for this pass and geometry: <paramref name="run"/>s every candidate, keeps and returns the fastest.</summary>
    private ConvolutionAlgorithm Measure(ConvPass pass, in ConvGeometry g, int filters, Action<ConvolutionAlgorithm> run)
    {
        var chosen = ConvolutionAlgorithm.Im2Col;
        double best = double.MaxValue;
        foreach (var candidate in (ReadOnlySpan<ConvolutionAlgorithm>)[ConvolutionAlgorithm.Winograd, ConvolutionAlgorithm.Direct, ConvolutionAlgorithm.ShiftedGemm, ConvolutionAlgorithm.Im2Col])
        {
            if (!Applies(candidate, pass, g)) continue;
            run(candidate); // warm-up: scratch, JIT
            // The best of at least three runs, more while they are short (up to ten or 20 ms): one or
            // two timings of a sub-millisecond pass can both catch a worker waking up or a neighbour's
            // burst, and pick an algorithm twice as slow for the rest of the process.
            double time = double.MaxValue, spent = 0;
            for (int i = 0; i < 10 && (i < 3 || spent < 0.02); i++)
            {
                long start = Stopwatch.GetTimestamp();
                run(candidate);
                double once = Stopwatch.GetElapsedTime(start).TotalSeconds;
                time = Math.Min(time, once);
                spent += once;
            }
            if (time < best) (best, chosen) = (time, candidate);
        }
        _convChoices[(g, filters, pass)] = chosen;
        return chosen;
    }

    // The lambdas live in their own methods: a closure is allocated where its captured variables
    // are declared, and the warm path must allocate nothing.
    /// <inheritdoc/>
    protected override void ConvolutionForwardCore(Tensor x, in ConvGeometry g, Tensor weights, Tensor bias, int filters, Tensor y)
    {
        if (!TryChosen(ConvPass.Forward, g, filters, out var algorithm)) algorithm = MeasureForward(x, g, weights, bias, filters, y);
        Forward(algorithm, x, g, weights, bias, filters, y);
    }

    /// <summary>
    /// Winograd applies the batch-norm scale and shift (bias folded into the shift), the residual and
    /// the ReLU in its output transform; the other algorithms write the convolution, then one pass
    /// applies the batch-norm (and the ReLU when there is no residual), then the residual and ReLU.
    /// </summary>
    protected override unsafe void ConvolutionForwardBatchNormCore(Tensor x, in ConvGeometry g, Tensor weights, Tensor bias,
        Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float epsilon, bool relu, int filters, Tensor y, Tensor? residual)
    {
        if (!TryChosen(ConvPass.Forward, g, filters, out var algorithm)) algorithm = MeasureForward(x, g, weights, bias, filters, y);
        if (algorithm != ConvolutionAlgorithm.Winograd)
        {
            Forward(algorithm, x, g, weights, bias, filters, y);
            var bn = _batchNorm;
            bn.X = Ptr(y); bn.Y = Ptr(y);
            bn.Gamma = Ptr(gamma); bn.Beta = Ptr(beta);
            bn.RunningMean = Ptr(runningMean); bn.RunningVar = Ptr(runningVar);
            bn.Epsilon = epsilon;
            bn.Relu = relu && residual is null;
            RunBatchNorm(BatchNormKind.ForwardInference, new BatchNormGeometry(g.Batch, filters, g.OutputHeight * g.OutputWidth));
            bn.Relu = false;
            if (residual is null) return;
            AddCore(y, residual, y);
            if (relu) ReluForwardCore(y, y);
            return;
        }
        // scale as BatchNormWork computes it; shift = β + (b − μ)·scale (the bias folded in).
        float* scale = _convEpilogue.Get<float>(2L * filters), shift = scale + filters;
        float* gm = Ptr(gamma), bt = Ptr(beta), mu = Ptr(runningMean), vr = Ptr(runningVar), b = Ptr(bias);
        for (int f = 0; f < filters; f++)
        {
            scale[f] = BatchNormWork.InferenceScale(gm[f], vr[f], epsilon);
            shift[f] = bt[f] + (b[f] - mu[f]) * scale[f];
        }
        LastConvolutionAlgorithm = algorithm;
        RunWinograd(Ptr(x), g, Ptr(weights), filters, inputGradient: false, shift, Ptr(y), scale, relu, residual is null ? null : Ptr(residual));
    }

    private ConvolutionAlgorithm MeasureForward(Tensor x, ConvGeometry g, Tensor weights, Tensor bias, int filters, Tensor y) =>
        Measure(ConvPass.Forward, g, filters, a => Forward(a, x, g, weights, bias, filters, y));

    /// <inheritdoc/>
    protected override void ConvolutionWeightGradientCore(Tensor dy, Tensor x, in ConvGeometry g, Tensor dWeights, Tensor dBias, int filters)
    {
        if (!TryChosen(ConvPass.WeightGradient, g, filters, out var algorithm)) algorithm = MeasureWeightGradient(dy, x, g, dWeights, dBias, filters);
        WeightGradient(algorithm, dy, x, g, dWeights, dBias, filters);
    }

    private ConvolutionAlgorithm MeasureWeightGradient(Tensor dy, Tensor x, ConvGeometry g, Tensor dWeights, Tensor dBias, int filters) =>
        Measure(ConvPass.WeightGradient, g, filters, a => WeightGradient(a, dy, x, g, dWeights, dBias, filters));

    /// <inheritdoc/>
    protected override void ConvolutionInputGradientCore(Tensor dy, in ConvGeometry g, Tensor weights, int filters, Tensor dx)
    {
        if (!TryChosen(ConvPass.InputGradient, g, filters, out var algorithm)) algorithm = MeasureInputGradient(dy, g, weights, filters, dx);
        InputGradient(algorithm, dy, g, weights, filters, dx);
    }

    private ConvolutionAlgorithm MeasureInputGradient(Tensor dy, ConvGeometry g, Tensor weights, int filters, Tensor dx) =>
        Measure(ConvPass.InputGradient, g, filters, a => InputGradient(a, dy, g, weights, filters, dx));

    private unsafe void Forward(ConvolutionAlgorithm algorithm, Tensor x, in ConvGeometry g, Tensor weights, Tensor bias, int filters, Tensor y)
    {
        LastConvolutionAlgorithm = algorithm;
        switch (algorithm)
        {
            case ConvolutionAlgorithm.Direct:
                var w = _directConv;
                w.Gradient = false;
                w.X = Ptr(x); w.Weights = Ptr(weights); w.Bias = Ptr(bias); w.Y = Ptr(y);
                w.G = g; w.Filters = filters;
                Pool.Run(w, DirectParts(g, filters));
                break;
            case ConvolutionAlgorithm.Winograd:
                RunWinograd(Ptr(x), g, Ptr(weights), filters, inputGradient: false, Ptr(bias), Ptr(y));
                break;
            default:
                // col = im2col(x); rows = col·Wᵀ [N·OH·OW, F]; y = transpose(rows) + bias.
                int m = g.ColumnRows;
                float* col = _convCol.Get<float>(g.ColumnLength);
                float* rows = _convRows.Get<float>((long)m * filters);
                RunIm2Col(Ptr(x), g, col, backward: false);
                ConvolutionGemm(Transpose.NoTranspose, Transpose.Transpose, m, filters, g.PatchSize, col, Ptr(weights), rows);
                RunTranspose(rows, g.Batch, g.OutputHeight * g.OutputWidth, filters, Ptr(y), Ptr(bias));
                break;
        }
    }

    private unsafe void WeightGradient(ConvolutionAlgorithm algorithm, Tensor dy, Tensor x, in ConvGeometry g, Tensor dWeights, Tensor dBias, int filters)
    {
        LastConvolutionAlgorithm = algorithm;
        if (algorithm == ConvolutionAlgorithm.Winograd)
        {
            var wino = _winograd;
            wino.X = Ptr(x); wino.Dy = Ptr(dy);
            wino.G = g; wino.Outputs = filters;
            int blocks = wino.Plan();
            int parts = Math.Min(Threads, blocks);
            try
            {
                Pool.Run(wino, parts);
                wino.FinishWeightGradient(parts, Ptr(dWeights));
            }
            finally
            {
                wino.Dy = null;
            }
            SumChannelsCore(dy, dBias, g.Batch, filters, g.OutputHeight * g.OutputWidth);
            return;
        }
        if (algorithm == ConvolutionAlgorithm.Direct)
        {
            var w = _directConv;
            w.Gradient = true;
            w.X = Ptr(x); w.Y = Ptr(dy);
            w.G = g; w.Filters = filters;
            int parts = DirectParts(g, filters);
            Pool.Run(w, parts);
            // The pieces' sums hold [filters, patch] weight gradients, then [filters] bias gradients.
            int weights = filters * g.PatchSize;
            PartialSums.Reduce(w, parts, 0, weights, Ptr(dWeights));
            PartialSums.Reduce(w, parts, weights, filters, Ptr(dBias));
            return;
        }
        // GEMMs one image at a time (ImageGemmWeightGradientWork): im2col rows, or shifted reads of the padded image.
        var work = _imageWeightGradient;
        work.Shifted = algorithm == ConvolutionAlgorithm.ShiftedGemm;
        work.X = Ptr(x); work.Dy = Ptr(dy);
        work.G = g; work.Filters = filters;
        int pieces = Math.Min(Threads, g.Batch);
        Pool.Run(work, pieces);
        work.AddInto(Ptr(dWeights), pieces);
        PartialSums.Reduce(work, pieces, 0, filters, Ptr(dBias));
    }

    private unsafe void InputGradient(ConvolutionAlgorithm algorithm, Tensor dy, in ConvGeometry g, Tensor weights, int filters, Tensor dx)
    {
        LastConvolutionAlgorithm = algorithm;
        if (algorithm == ConvolutionAlgorithm.Winograd)
        {
            RunWinograd(Ptr(dy), WinogradWork.InputGradientGeometry(g, filters), Ptr(weights), g.Channels, inputGradient: true, null, Ptr(dx));
            return;
        }
        // dyT = transpose(dy); dcol = dyT·W; dx = col2im(dcol).
        int m = g.ColumnRows;
        float* dyT = _convRows.Get<float>((long)m * filters);
        float* col = _convCol.Get<float>(g.ColumnLength);
        RunTranspose(Ptr(dy), g.Batch, filters, g.OutputHeight * g.OutputWidth, dyT, null);
        ConvolutionGemm(Transpose.NoTranspose, Transpose.NoTranspose, m, g.PatchSize, filters, dyT, Ptr(weights), col);
        RunIm2Col(Ptr(dx), g, col, backward: true);
    }

    /// <param name="x">The input batch (dy for the input gradient).</param>
    /// <param name="g">The convolution Winograd computes: from <paramref name="x"/> [N, g.Channels, …] to <paramref name="y"/> [N, outputs, …].</param>
    /// <param name="weights">The layer's W: [outputs, g.Channels, 3, 3] forward; [g.Channels, outputs, 3, 3] for the input gradient.</param>
    /// <param name="outputs">Output channels.</param>
    /// <param name="inputGradient">True when computing dx from dy (weights flipped and transposed).</param>
    /// <param name="bias">Per-output bias (the epilogue's shift) added to y, or null.</param>
    /// <param name="y">The output batch (dx for the input gradient).</param>
    /// <param name="scale">Null, or the per-output factor of the epilogue act(scale·conv + bias).</param>
    /// <param name="residual">Null, or a tensor shaped like y added before the act (a residual block's shortcut).</param>
    /// <param name="relu">The epilogue's act is max(·, 0).</param>
    private unsafe void RunWinograd(float* x, in ConvGeometry g, float* weights, int outputs, bool inputGradient, float* bias, float* y,
        float* scale = null, bool relu = false, float* residual = null)
    {
        var w = _winograd;
        float* u = _winogradFilters.Get<float>(WinogradWork.FilterLength(g.Channels, outputs));
        WinogradWork.TransformFilters(weights, g.Channels, outputs, inputGradient, u);
        w.X = x; w.Y = y; w.Bias = bias; w.U = u; w.Scale = scale; w.Relu = relu; w.Residual = residual;
        w.G = g; w.Outputs = outputs;
        int blocks = w.Plan();
        Pool.Run(w, Math.Min(Threads, blocks));
    }

    /// <summary>
    /// The im2col algorithm's product C = op(A)·op(B), row-major, leading dimensions as in
    /// <see cref="GemmCore"/>: our packed SGEMM here; the OpenBLAS provider hands it to <c>cblas_sgemm</c>,
    /// so its im2col candidate is measured (and forced) with its own GEMM.
    /// </summary>
    private protected virtual unsafe void ConvolutionGemm(Transpose transA, Transpose transB, int m, int n, int k, float* a, float* b, float* c)
    {
        int lda = transA == Transpose.NoTranspose ? k : m;
        int ldb = transB == Transpose.NoTranspose ? n : k;
        _gemm.Run(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
    }

    private int DirectParts(in ConvGeometry g, int filters) =>
        (long)g.ColumnRows * filters * g.PatchSize < ParallelSpatial ? 1 : Math.Min(Threads, g.Batch);

    private void DisposeConvolutionScratch()
    {
        _convCol.Dispose();
        _convRows.Dispose();
        _winogradFilters.Dispose();
        _convEpilogue.Dispose();
    }
}
