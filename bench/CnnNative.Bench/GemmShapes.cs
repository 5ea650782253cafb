using CnnNative.Core;

namespace CnnNative.Bench;

/// <summary>One GEMM problem: sizes and transposes, with a short name for reports ("57600x30x25 NT").</summary>
public readonly record struct GemmShape(int M, int N, int K, Transpose TransA, Transpose TransB)
{
    public double Flops => 2.0 * M * N * K;

    public override string ToString() =>
        $"{M}x{N}x{K} {(TransA == Transpose.NoTranspose ? 'N' : 'T')}{(TransB == Transpose.NoTranspose ? 'N' : 'T')}";

    public static GemmShape Parse(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var dims = parts[0].Split('x').Select(int.Parse).ToArray();
        string t = parts.Length > 1 ? parts[1] : "NN";
        return new GemmShape(dims[0], dims[1], dims[2],
            t[0] == 'T' ? Transpose.Transpose : Transpose.NoTranspose,
            t[1] == 'T' ? Transpose.Transpose : Transpose.NoTranspose);
    }

    /// <summary>Square sizes and the SimpleConvNet / larger-network products (N = no transpose, T = transpose).</summary>
    public static readonly string[] Standard =
    [
        "256x256x256 NN",
        "512x512x512 NN",
        "1024x1024x1024 NN",
        "2048x2048x2048 NN",
        "57600x30x25 NT",     // conv forward: col · Wᵀ
        "57600x25x30 NN",     // conv backward: dcol = dout · W
        "30x25x57600 TN",     // conv weight gradient: dW = doutᵀ · col
        "25x30x57600 TN",     // the same, transposed result: colᵀ · dout
        "100x100x4320 NN",    // fc1 forward: x · W
        "4320x100x100 TN",    // fc1 weight gradient: xᵀ · dy
        "100x4320x100 NT",    // fc1 input gradient: dy · Wᵀ
        "32768x64x576 NN",    // a wider conv layer (64 filters, 3×3×64 patches)
    ];
}
