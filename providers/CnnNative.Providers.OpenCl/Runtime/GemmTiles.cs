using System.Globalization;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// The GEMM kernel's blocking, passed to the compiler as -D options (see gemm.cl): a
/// work-group computes a TM×TN tile of C; each work-item a WM×WN block held as WN/VW
/// float-VW vectors. StageB walks K in TK steps through local memory (StageA stages A's
/// slice too); without StageB the kernel reads both operands straight through the cache.
/// Work-group shape: (TN/WN) × (TM/WM).
/// </summary>
internal readonly record struct GemmTiles(int TM, int TN, int TK, int WM, int WN, int VW, bool StageA, bool StageB)
{
    /// <summary>GPU-first: 64×64 tiles, 16×16 work-items of 4×4 (float4 loads), both operands staged in local memory.</summary>
    public static GemmTiles Gpu => new(64, 64, 16, 4, 4, 4, StageA: true, StageB: true);

    /// <summary>
    /// A CPU device (pocl runs a work-group on one core, local memory is just cached memory):
    /// a column of 16 work-items, each a 6×32 block as two float16 vectors for AVX-512
    /// (12 accumulators plus operands fit the 32 vector registers), no staging copies and no
    /// barriers — the caches do the tiling, as in a CPU BLAS micro-kernel.
    /// </summary>
    public static GemmTiles Cpu => new(96, 32, 16, 6, 32, 16, StageA: false, StageB: false);

    public int LocalX => TN / WN;

    public int LocalY => TM / WM;

    public override string ToString() => $"TM={TM},TN={TN},TK={TK},WM={WM},WN={WN},VW={VW},SA={(StageA ? 1 : 0)},SB={(StageB ? 1 : 0)}";

    public string BuildOptions => string.Create(CultureInfo.InvariantCulture,
        $"-D GEMM_TM={TM} -D GEMM_TN={TN} -D GEMM_TK={TK} -D GEMM_WM={WM} -D GEMM_WN={WN} -D GEMM_VW={VW} -D GEMM_SA={(StageA ? 1 : 0)} -D GEMM_SB={(StageB ? 1 : 0)}");

    /// <summary>Parses "TM=64,TN=64,TK=16,WM=4,WN=4,VW=4,SA=1,SB=1" (any subset; the rest from <paramref name="defaults"/>).</summary>
    public static GemmTiles Parse(string text, GemmTiles defaults)
    {
        var t = defaults;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            bool flag = kv[0].ToUpperInvariant() is "SA" or "SB";
            if (kv.Length != 2 || !int.TryParse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || (flag ? v is not (0 or 1) : v <= 0))
                throw new ArgumentException($"Compute:OpenCl:GemmTiles entry '{part}' is not KEY=positive-integer (SA and SB: 0 or 1).");
            t = kv[0].ToUpperInvariant() switch
            {
                "TM" => t with { TM = v },
                "TN" => t with { TN = v },
                "TK" => t with { TK = v },
                "WM" => t with { WM = v },
                "WN" => t with { WN = v },
                "VW" => t with { VW = v },
                "SA" => t with { StageA = v != 0 },
                "SB" => t with { StageB = v != 0 },
                _ => throw new ArgumentException($"Compute:OpenCl:GemmTiles key '{kv[0]}' is unknown; use TM, TN, TK, WM, WN, VW, SA, SB."),
            };
        }
        if (t.TN % t.WN != 0 || t.TM % t.WM != 0 || t.WN % t.VW != 0 || t.VW is not (1 or 2 or 4 or 8 or 16) || (t.StageA && !t.StageB))
            throw new ArgumentException(
                $"Compute:OpenCl:GemmTiles {t} is inconsistent: TN must be a multiple of WN, TM of WM, WN of VW, VW one of 1, 2, 4, 8, 16, and SA=1 needs SB=1.");
        return t;
    }
}
