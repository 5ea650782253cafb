namespace CnnNative.Core;

/// <summary>Whether a GEMM operand is used as stored (row-major) or transposed.</summary>
public enum Transpose
{
    NoTranspose = 0,
    Transpose = 1,
}
