namespace CnnNative.Core;

/// <summary>Whether a GEMM operand is used as stored (row-major) or transposed.</summary>
public enum Transpose
{
    /// <summary>Use the operand as stored: an m×k (or k×n) row-major matrix.</summary>
    NoTranspose = 0,
    /// <summary>Use the transpose of the stored matrix (stored k×m, or n×k).</summary>
    Transpose = 1,
}
