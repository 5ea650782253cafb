using CnnNative.Core;

namespace CnnNative.Cli.Commands.Checks;

/// <summary>One result of a check, downloaded to the host: numbers, or for a contract check the outcome in words.</summary>
internal sealed record CheckOutput(string Name, float[] Values, string? Outcome = null)
{
    public static CheckOutput Of(string name, string outcome) => new(name, [], outcome);
}

/// <summary>
/// How far a candidate's output may stray from the baseline's. <see cref="PerElement"/> false:
/// every |a − b| ≤ <see cref="Relative"/> · max(1, max |b|) — a bound relative to the output's
/// largest value, which float rounding stays far below while a wrong index or a missed
/// element breaks it by orders of magnitude. <see cref="PerElement"/> true (loss curves):
/// every |a − b| ≤ <see cref="Absolute"/> + <see cref="Relative"/> · |b|.
/// </summary>
internal sealed record CheckTolerance(double Relative, double Absolute = 0, bool PerElement = false)
{
    public static CheckTolerance Kernel { get; } = new(1e-5);
    public static CheckTolerance Layer { get; } = new(1e-4);

    /// <summary>GEMM sums k products, each rounding: the bound grows with k.</summary>
    public static CheckTolerance Gemm(int k) => new(1e-5 + 4e-7 * k);

    public override string ToString() => PerElement ? $"{Absolute:G2} + {Relative:G2}·|b|" : $"{Relative:G2}·max|b|";
}

/// <summary>
/// One computation run on two providers from the same host inputs and compared output by
/// output (see <see cref="CheckRunner"/>). <see cref="Group"/> is what the table groups by:
/// operation, layer, training or contract.
/// </summary>
internal sealed record EquivalenceCase(string Group, string Name, CheckTolerance Tolerance, Func<IComputeProvider, IReadOnlyList<CheckOutput>> Run);
