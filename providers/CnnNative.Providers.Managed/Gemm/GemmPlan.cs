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

    public static GemmPlan Choose(int m, int n, int k, int threads, int tileRows, int tileCols, int kBlock)
    {
        if (threads <= 1 || (long)m * n * k < SerialWork) return new GemmPlan(1, 1, 1);
        var best = new GemmPlan(1, 1, 1);
        double bestCost = Cost(best, m, n, k, tileRows, tileCols, kBlock);
        for (int mp = 1; mp <= threads; mp++)
            for (int np = 1; mp * np <= threads; np++)
                for (int kp = 1; mp * np * kp <= threads; kp++)
                {
                    var plan = new GemmPlan(mp, np, kp);
                    if (!plan.Fits(m, n, k, tileRows, tileCols)) continue;
                    double cost = Cost(plan, m, n, k, tileRows, tileCols, kBlock);
                    if (cost < bestCost * 0.98) { best = plan; bestCost = cost; }
                }
        return best;
    }

    /// <summary>Every piece gets at least one tile of rows/columns and a useful k range.</summary>
    private bool Fits(int m, int n, int k, int tileRows, int tileCols) =>
        (MParts == 1 || m >= MParts * tileRows) &&
        (NParts == 1 || n >= NParts * tileCols) &&
        (KParts == 1 || k >= KParts * 128);

    /// <summary>Whether a piece packs its A panels: only when each is reused over several column panels and k is not tiny.</summary>
    /// <remarks>Measured: packing A for two column panels (n = 64) is slower than reading it in place.</remarks>
    public static bool PacksA(int n, int k, int tileCols) => n > 2 * tileCols && k > 32;

    private static double Cost(GemmPlan plan, int m, int n, int k, int tileRows, int tileCols, int kBlock)
    {
        long mp = Split(m, plan.MParts, tileRows), np = Split(n, plan.NParts, tileCols), kp = Split(k, plan.KParts, 8);
        long npPadded = (np + tileCols - 1) / tileCols * tileCols;
        double compute = (double)mp * npPadded * kp;
        double packB = PackCost * kp * npPadded;
        double readA = (PacksA((int)np, (int)kp, tileCols) ? PackCost : ReadCost) * mp * kp * ((np + 511) / 512);
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
