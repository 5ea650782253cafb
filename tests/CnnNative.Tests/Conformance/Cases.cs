using CnnNative.Core;
using Xunit.Abstractions;

namespace CnnNative.Tests.Conformance;

/// <summary>
/// The awkward sizes the suite sweeps. Lengths cover 1…257 around every power of two a SIMD
/// kernel might block by (vector widths 4/8/16, unrolls of 2–4 vectors) plus large ones that
/// cross any threading threshold; not every combination, to keep the suite fast.
/// </summary>
public static class Cases
{
    public static readonly int[] Lengths =
        [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 4099, 140_001];

    public static TheoryData<int> LengthData() => new(Lengths);

    /// <summary>GEMM sizes: each awkward size in each of m, n, k against small odd partners, plus square, network and threaded shapes.</summary>
    public static IEnumerable<GemmCase> GemmShapes()
    {
        int[] sweep = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257];
        foreach (int s in sweep)
        {
            yield return new GemmCase(s, 7, 13);
            yield return new GemmCase(5, s, 11);
            yield return new GemmCase(9, 3, s);
        }
        yield return new GemmCase(1, 1, 1);
        yield return new GemmCase(17, 33, 65);
        yield return new GemmCase(64, 64, 64);
        yield return new GemmCase(129, 257, 127);
        yield return new GemmCase(257, 257, 257);
        yield return new GemmCase(1152, 30, 25);  // SimpleConvNet conv forward at batch 2: col · Wᵀ
        yield return new GemmCase(30, 25, 1152);  // its weight gradient: dYᵀ · col
        yield return new GemmCase(1152, 25, 30);  // its input gradient: dY · W
        yield return new GemmCase(2, 100, 4320);  // fc1 forward at batch 2, a long k
        yield return new GemmCase(700, 300, 96);  // big enough for any multi-threaded path
        yield return new GemmCase(3, 600, 17);    // n past a 512-column block, on one thread
        yield return new GemmCase(70, 1030, 33);  // n past a 512-column block in each half of an n split
    }

    /// <summary>Each shape with every transpose combination, cycling through α/β variants (β = 0 means C starts as NaN).</summary>
    public static TheoryData<GemmCase> GemmData()
    {
        (float Alpha, float Beta)[] scalars = [(1f, 0f), (0.5f, 0f), (-1.25f, 0.75f), (1f, 1f), (2f, -1f)];
        var data = new TheoryData<GemmCase>();
        int i = 0;
        foreach (var shape in GemmShapes())
            foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                var (alpha, beta) = scalars[i++ % scalars.Length];
                data.Add(shape.With(ta, tb, alpha, beta));
            }
        return data;
    }

    /// <summary>Convolution windows: odd sizes, strides 1–3, paddings 0–2 (also unequal), rectangular kernels, batch 1, 1×1 and whole-image kernels.</summary>
    public static TheoryData<ConvCase> ConvData() => new(Convs);

    public static readonly ConvCase[] Convs =
    [
        new ConvCase(1, 1, 1, 1, 1, 1, 1, 1, 0, 0),
        new ConvCase(2, 3, 5, 5, 3, 3, 1, 1, 0, 0),
        new ConvCase(1, 1, 7, 7, 3, 3, 1, 1, 1, 1),
        new ConvCase(2, 2, 9, 7, 3, 3, 2, 2, 1, 1),
        new ConvCase(1, 3, 8, 8, 5, 5, 1, 1, 2, 2),
        new ConvCase(3, 1, 11, 13, 3, 2, 3, 2, 0, 1),
        new ConvCase(1, 2, 6, 9, 2, 5, 2, 3, 2, 0),
        new ConvCase(2, 4, 10, 10, 1, 1, 1, 1, 0, 0),
        new ConvCase(1, 2, 10, 10, 1, 1, 2, 2, 0, 0),
        new ConvCase(1, 1, 4, 4, 5, 5, 1, 1, 2, 2),
        new ConvCase(2, 1, 28, 28, 5, 5, 1, 1, 0, 0),
        new ConvCase(1, 16, 7, 7, 3, 3, 1, 1, 1, 1),
        new ConvCase(1, 3, 13, 5, 4, 1, 3, 1, 1, 0),
        new ConvCase(4, 2, 3, 17, 3, 3, 1, 2, 1, 2),
        new ConvCase(3, 3, 32, 32, 3, 3, 1, 1, 1, 1), // past any parallel-over-the-batch threshold
    ];

    /// <summary>Pooling windows: 2×2/2, overlapping 3×3/2 with padding, rectangular, stride 3, global, batch 1, odd sizes.</summary>
    public static TheoryData<PoolCase> PoolData() => new(Pools);

    public static readonly PoolCase[] Pools =
    [
        new PoolCase(1, 1, 1, 1, 1, 1, 1, 1, 0, 0),
        new PoolCase(2, 3, 6, 6, 2, 2, 2, 2, 0, 0),
        new PoolCase(1, 2, 7, 7, 2, 2, 2, 2, 0, 0),
        new PoolCase(2, 2, 7, 9, 3, 3, 2, 2, 1, 1),
        new PoolCase(1, 1, 8, 8, 3, 3, 1, 1, 1, 1),
        new PoolCase(3, 1, 9, 11, 2, 3, 1, 2, 1, 0),
        new PoolCase(1, 2, 10, 10, 3, 3, 3, 3, 2, 2),
        new PoolCase(2, 1, 5, 5, 5, 5, 1, 1, 0, 0),
        new PoolCase(1, 3, 12, 5, 4, 2, 3, 2, 0, 1),
        new PoolCase(2, 4, 24, 24, 2, 2, 2, 2, 0, 0),
        new PoolCase(3, 2, 14, 14, 2, 2, 2, 2, 0, 0), // 7 outputs per row: four at a time, overlapping
        new PoolCase(2, 3, 9, 11, 2, 2, 2, 2, 0, 0),  // 5 per row, odd last row and column uncovered
        new PoolCase(4, 8, 33, 31, 3, 3, 2, 2, 1, 1), // past any parallel threshold
    ];
}

/// <summary>One GEMM call; serialisable so each case is its own test in the report.</summary>
public sealed class GemmCase : IntCase
{
    [Obsolete("For the xunit deserialiser.")] public GemmCase() { }

    public GemmCase(int m, int n, int k, bool transA = false, bool transB = false, float alpha = 1f, float beta = 0f)
        : base(m, n, k, transA ? 1 : 0, transB ? 1 : 0, BitConverter.SingleToInt32Bits(alpha), BitConverter.SingleToInt32Bits(beta)) { }

    public int M => V[0];
    public int N => V[1];
    public int K => V[2];
    public bool TransA => V[3] == 1;
    public bool TransB => V[4] == 1;
    public float Alpha => BitConverter.Int32BitsToSingle(V[5]);
    public float Beta => BitConverter.Int32BitsToSingle(V[6]);
    public Transpose OpA => TransA ? Transpose.Transpose : Transpose.NoTranspose;
    public Transpose OpB => TransB ? Transpose.Transpose : Transpose.NoTranspose;

    public GemmCase With(bool transA, bool transB, float alpha, float beta) => new(M, N, K, transA, transB, alpha, beta);

    public override string ToString() => $"{M}×{N}×{K} {(TransA ? "T" : "N")}{(TransB ? "T" : "N")} α={Alpha} β={Beta}";
}

/// <summary>One im2col geometry.</summary>
public sealed class ConvCase : IntCase
{
    [Obsolete("For the xunit deserialiser.")] public ConvCase() { }

    public ConvCase(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) : base(n, c, h, w, kh, kw, sh, sw, ph, pw) { }

    public ConvGeometry Geometry => new(V[0], V[1], V[2], V[3], V[4], V[5], V[6], V[7], V[8], V[9]);

    public override string ToString() => Geometry.ToString();
}

/// <summary>One pooling geometry.</summary>
public sealed class PoolCase : IntCase
{
    [Obsolete("For the xunit deserialiser.")] public PoolCase() { }

    public PoolCase(int n, int c, int h, int w, int poolH, int poolW, int sh, int sw, int ph, int pw) : base(n, c, h, w, poolH, poolW, sh, sw, ph, pw) { }

    public PoolGeometry Geometry => new(V[0], V[1], V[2], V[3], V[4], V[5], V[6], V[7], V[8], V[9]);

    public override string ToString() => Geometry.ToString();
}

/// <summary>
/// A test case made of integers, serialisable so xunit lists every theory row as its own
/// test (and a failure names its case). <see cref="Numbers"/> also seeds the case's data.
/// </summary>
public abstract class IntCase : IXunitSerializable
{
    [Obsolete("For the xunit deserialiser.")] public IntCase() { }

    protected IntCase(params int[] values) => V = values;

    protected int[] V { get; private set; } = [];

    /// <summary>The integers that identify the case.</summary>
    public ReadOnlySpan<int> Numbers => V;

    public void Serialize(IXunitSerializationInfo info) => info.AddValue("v", V);

    public void Deserialize(IXunitSerializationInfo info) => V = info.GetValue<int[]>("v");
}
