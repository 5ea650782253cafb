using CnnNative.Providers.OpenCl;

namespace CnnNative.Tests.OpenCl;

/// <summary>The multiply-and-shift division the kernels use instead of a divide instruction.</summary>
public sealed class FastDivisorTests
{
    [Fact]
    public void Matches_integer_division_for_every_non_negative_int()
    {
        var rnd = new Random(7);
        var divisors = new List<int> { 1, 2, 3, 5, 7, 24, 25, 576, 1000, int.MaxValue, int.MaxValue - 1 };
        for (int k = 1; k < 31; k++) { divisors.Add(1 << k); divisors.Add((1 << k) - 1); divisors.Add((1 << k) + 1); }
        for (int i = 0; i < 300; i++) divisors.Add(rnd.Next(1, int.MaxValue));
        for (int d = 1; d < 300; d++) divisors.Add(d);
        foreach (int d in divisors)
        {
            foreach (int n in new[] { 0, 1, d - 1, d, d + 1 < 0 ? d : d + 1, int.MaxValue, int.MaxValue - 1, 2 * (d / 2) })
                Assert.True(FastDivisor.Divide(n, d) == n / d, $"{n} / {d}");
            for (int i = 0; i < 200; i++)
            {
                int n = rnd.Next(int.MaxValue);
                Assert.True(FastDivisor.Divide(n, d) == n / d, $"{n} / {d}");
            }
        }
    }

    [Fact]
    public void Rejects_a_divisor_that_is_not_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FastDivisor.For(0));
}
