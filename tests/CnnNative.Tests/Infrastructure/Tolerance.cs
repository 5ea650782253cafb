namespace CnnNative.Tests.Infrastructure;

/// <summary>
/// How far a float32 result may be from the double-precision oracle:
/// |actual − expected| ≤ Atol + Rtol·|expected|. The factories scale the absolute part with
/// the length of the reduction behind each value, because a float sum of n terms of size s
/// legitimately drifts by about n·ε·s, and a fixed bound would either fail a correct long
/// GEMM or pass a wrong short one.
/// </summary>
public readonly record struct Tolerance(double Atol, double Rtol)
{
    /// <summary>float32 machine epsilon, 2⁻²³.</summary>
    public const double Epsilon = 1.0 / (1 << 23);

    /// <summary>Bit-for-bit values (−0 equals +0): copies, max, masks, counts.</summary>
    public static Tolerance Exact => new(0, 0);

    /// <summary>One or two float roundings of O(1) values: add, multiply, scale, axpy.</summary>
    public static Tolerance Rounding => new(4 * Epsilon, 4 * Epsilon);

    /// <summary>Transcendental functions in float (exp, log, division): a few ulp of the library routines.</summary>
    public static Tolerance Transcendental => new(1e-6, 1e-5);

    /// <summary>A float sum of <paramref name="terms"/> values each at most <paramref name="magnitude"/> in size.</summary>
    public static Tolerance Sum(int terms, double magnitude) =>
        new(2 * (terms + 2) * Epsilon * magnitude + 1e-30, 4 * Epsilon);

    /// <summary>Widens both bounds (for chained float steps such as repeated optimizer updates).</summary>
    public Tolerance Times(double factor) => new(Atol * factor, Rtol * factor);

    public bool Accepts(double expected, double actual)
    {
        if (double.IsNaN(expected)) return double.IsNaN(actual);
        if (double.IsInfinity(expected)) return expected == actual;
        return Math.Abs(actual - expected) <= Atol + Rtol * Math.Abs(expected);
    }

    public override string ToString() => $"atol {Atol:G3}, rtol {Rtol:G3}";
}
