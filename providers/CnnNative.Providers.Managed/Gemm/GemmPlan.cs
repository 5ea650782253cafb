namespace CnnNative.Providers.Managed.Gemm;

/// <summary>
/// How one GEMM is cut across threads: C is split into MParts × NParts blocks and K into
/// KParts ranges (partial products added afterwards). Chosen by a small cost model, in units
/// of one multiply-add lane: the padded compute of the busiest piece, plus what it spends
/// packing (B for its own columns and k range, A when its panels are reused) or streaming A
/// in place, plus the serial reduction a K split needs. Splitting M makes every piece pack all of B; splitting K
/// packs nothing twice but adds the reduction — which is why the skinny weight-gradient
/// products (30×25×57600) split K and the convolution forward (57600×30×25) splits M.
/// </summary>
internal readonly record struct GemmPlan(int MParts, int NParts, int KParts)
{
    public int Parts => MParts * NParts * KParts;

    // Fewer multiply-adds than this run on the caller alone: waking a worker costs more.
    private const long SerialWork = 1 << 18;

    // Relative costs per element, measured in multiply-add lanes.
    private const double PackCost = 2.0;
    private const double ReduceCost = 4.0;
    // Reading an A element in place (from memory: every column piece streams all of its rows).
    private const double ReadCost = 0.5;

    public static GemmPlan Choose(int m, int n, int k, int threads, int tileRows, int tileCols, bool aConflicts = false)
    {
        if (threads <= 1 || (long)m * n * k < SerialWork) return new GemmPlan(1, 1, 1);
        var best = new GemmPlan(1, 1, 1);
        double bestCost = Cost(best, m, n, k, tileRows, tileCols, aConflicts);
        for (int mp = 1; mp <= threads; mp++)
            for (int np = 1; mp * np <= threads; np++)
                for (int kp = 1; mp * np * kp <= threads; kp++)
                {
                    var plan = new GemmPlan(mp, np, kp);
                    if (!plan.Fits(m, n, k, tileRows, tileCols)) continue;
                    double cost = Cost(plan, m, n, k, tileRows, tileCols, aConflicts);
                    if (cost < bestCost * 0.98) { best = plan; bestCost = cost; }
                }
        return best;
    }

    /// <summary>Every piece gets at least one tile of rows/columns and a useful k range.</summary>
    private bool Fits(int m, int n, int k, int tileRows, int tileCols) =>
        (MParts == 1 || m >= MParts * tileRows) &&
        (NParts == 1 || n >= NParts * tileCols) &&
        (KParts == 1 || k >= KParts * 128);

    /// <summary>
    /// Whether computing Cᵀ = op(B)ᵀ·op(A)ᵀ and transposing it wastes fewer vector lanes: the
    /// micro-kernel pads C's columns to whole vectors (a tile of 2 × 16 lanes), so the
    /// weight-gradient product 30×25×57600 computes 32 columns for 25 (78 % useful) where its
    /// transpose computes 32 for 30 (94 %). Only for a small C and a long k, where the extra
    /// pass over C costs nothing next to the product.
    /// </summary>
    public static bool TransposesResult(int m, int n, int k, int tileCols)
    {
        if ((long)m * n > 1 << 14 || k < 64 * tileCols) return false;
        return LaneUse(m, tileCols) > LaneUse(n, tileCols) + 0.05;
    }

    /// <summary>The share of computed lanes that are wanted when <paramref name="columns"/> are padded to vectors (half a tile).</summary>
    private static double LaneUse(int columns, int tileCols)
    {
        int vector = tileCols / 2;
        return (double)columns / ((columns + vector - 1) / vector * vector);
    }

    /// <summary>
    /// Whether a piece packs its A panels. Reading A in place is faster (measured: 100×100×4320
    /// and 512³ gain 10–20 % per core) unless the panel's cache lines fight over a few L1 sets —
    /// a row stride of 4 KiB or a multiple, where 1024² and 2048² lose as much without packing —
    /// and packing only pays when the panel is reused over several column panels and k is not tiny.
    /// </summary>
    public static bool PacksA(int n, int k, int tileCols, bool aConflicts) => aConflicts && n > 2 * tileCols && k > 32;

    /// <summary>
    /// Whether one A micro-panel read in place crowds the L1 sets (32 KiB, 8 ways, 64-byte lines):
    /// more than six of its lines in one set. Untransposed, the panel is <paramref name="rows"/>
    /// row pieces of <paramref name="kBlock"/> floats, <paramref name="lda"/> floats apart;
    /// transposed, it is <paramref name="kBlock"/> pieces of <paramref name="rows"/> floats.
    /// </summary>
    public static bool AConflicts(bool transposed, int lda, int rows, int kBlock)
    {
        const int sets = 64, lineFloats = 16, crowded = 6;
        Span<int> perSet = stackalloc int[sets];
        int pieces = transposed ? kBlock : rows, pieceFloats = transposed ? rows : Math.Min(kBlock, lda); // untransposed, lda = k
        for (int i = 0; i < pieces; i++)
        {
            long first = (long)i * lda / lineFloats, last = ((long)i * lda + pieceFloats - 1) / lineFloats;
            for (long line = first; line <= last; line++)
                if (++perSet[(int)(line % sets)] > crowded) return true;
        }
        return false;
    }

    private static double Cost(GemmPlan plan, int m, int n, int k, int tileRows, int tileCols, bool aConflicts)
    {
        long mp = Split(m, plan.MParts, tileRows), np = Split(n, plan.NParts, tileCols), kp = Split(k, plan.KParts, 8);
        long npPadded = (np + tileCols - 1) / tileCols * tileCols;
        double compute = (double)mp * npPadded * kp;
        double packB = PackCost * kp * npPadded;
        double readA = (PacksA((int)np, (int)kp, tileCols, aConflicts) ? PackCost : ReadCost) * mp * kp * ((np + 511) / 512);
        double reduce = plan.KParts > 1 ? ReduceCost * m * n * plan.KParts : 0;
        return compute + packB + readA + reduce;
    }

    /// <summary>The largest piece when <paramref name="size"/> is cut into <paramref name="parts"/> multiples of <paramref name="unit"/>.</summary>
    public static int Split(int size, int parts, int unit)
    {
        int units = (size + unit - 1) / unit;
        return Math.Min(size, (units + parts - 1) / parts * unit);
    }

    /// <summary>Piece <paramref name="part"/>'s range [start, end) of <paramref name="size"/>, cut at multiples of <paramref name="unit"/>.</summary>
    public static (int Start, int End) Range(int size, int part, int parts, int unit)
    {
        long units = (size + (long)unit - 1) / unit;
        long start = units * part / parts * unit, end = units * (part + 1) / parts * unit;
        return ((int)Math.Min(start, size), (int)Math.Min(end, size));
    }
}
