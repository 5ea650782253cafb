using System.Globalization;
using System.Text;

namespace CnnNative.Nn;

/// <summary>How to run a gradient check.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>
    /// Central-difference step. 1e-5 suits a double-precision provider (the reference); on a
    /// float32 provider use about 1e-2 and expect relative errors near 1e-2.
    /// </summary>
    public double Epsilon { get; init; } = 1e-5;

    /// <summary>
    /// Smallest denominator of the relative error |a − n| / max(|a| + |n|, floor). A gradient
    /// that is truly zero (a bias before batch norm) comes out of central differences as
    /// rounding noise, about |f|·1e-16/ε ≈ 1e-11 in double precision; the floor judges such
    /// elements by their absolute difference instead of calling 1e-11 vs 0 a 100 % error.
    /// </summary>
    public double Floor { get; init; } = 1e-4;

    /// <summary>At most this many elements of each tensor are perturbed (evenly spaced, first element included); the rest are skipped.</summary>
    public int MaxElementsPerTensor { get; init; } = int.MaxValue;

    /// <summary>Whether to check dL/d(input) as well as the parameters.</summary>
    public bool CheckInput { get; init; } = true;

    /// <summary>The training step a layer check runs in (its dropout masks); default step 0, seed 0. A network check uses the network's own step and seed.</summary>
    public StepContext Context { get; init; } = StepContext.Train(0);

    /// <summary>Settings for a float32 provider: ε = 1e-2 and floor 1e-2; expect relative errors around 1e-3…1e-2.</summary>
    public static GradientCheckOptions SinglePrecision { get; } = new() { Epsilon = 1e-2, Floor = 1e-2 };

    /// <summary>Seed of the random projection r that turns a layer's output into the scalar Σ r·y.</summary>
    public ulong Seed { get; init; } = 12345;
}

/// <summary>The comparison of analytic and numerical gradients for one tensor.</summary>
/// <param name="Name">Parameter name ("conv1.W") or "input".</param>
/// <param name="MaxRelativeError">max over checked elements of |a − n| / max(|a| + |n|, floor).</param>
/// <param name="MaxAbsoluteError">max over checked elements of |a − n|.</param>
/// <param name="WorstIndex">Element with the largest relative error.</param>
/// <param name="Analytic">Backward's value at <paramref name="WorstIndex"/>.</param>
/// <param name="Numeric">The central difference at <paramref name="WorstIndex"/>.</param>
/// <param name="Checked">Elements compared.</param>
public sealed record GradientError(string Name, double MaxRelativeError, double MaxAbsoluteError, int WorstIndex,
    double Analytic, double Numeric, int Checked)
{
    /// <summary>One line: the errors, the worst element and how many were checked (invariant culture).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: max relative error {MaxRelativeError:E2} (absolute {MaxAbsoluteError:E2}; worst element {WorstIndex}: analytic {Analytic:G6}, numeric {Numeric:G6}; {Checked} checked)");
}

/// <summary>Per-tensor gradient errors of one check.</summary>
public sealed class GradientCheckResult
{
    internal GradientCheckResult(IReadOnlyList<GradientError> parameters, GradientError? input)
    {
        Parameters = parameters;
        Input = input;
        double max = input?.MaxRelativeError ?? 0;
        foreach (var p in parameters) max = Math.Max(max, p.MaxRelativeError);
        MaxRelativeError = max;
    }

    /// <summary>One entry per parameter, in network order.</summary>
    public IReadOnlyList<GradientError> Parameters { get; }

    /// <summary>dL/d(input), when checked.</summary>
    public GradientError? Input { get; }

    /// <summary>The largest relative error over everything checked.</summary>
    public double MaxRelativeError { get; }

    /// <summary>The entry for a parameter name, or "input".</summary>
    public GradientError this[string name]
    {
        get
        {
            if (name == "input" && Input is not null) return Input;
            foreach (var p in Parameters)
                if (p.Name == name) return p;
            throw new KeyNotFoundException($"No gradient was checked for '{name}'.");
        }
    }

    /// <summary>One line per checked tensor, parameters first, then the input.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var p in Parameters) sb.AppendLine(p.ToString());
        if (Input is not null) sb.AppendLine(Input.ToString());
        sb.Append(CultureInfo.InvariantCulture, $"max relative error {MaxRelativeError:E2}");
        return sb.ToString();
    }
}
