using CnnNative.Core;

namespace CnnNative.Tests.Infrastructure;

/// <summary>What an operation may do to a <see cref="TensorPair"/>.</summary>
public enum PairRole
{
    /// <summary>Read only: after the operation it must hold exactly what it held before.</summary>
    Input,

    /// <summary>Written (and possibly read first): compared with the oracle.</summary>
    Written,
}

/// <summary>
/// One operand of an operation, twice: on the provider under test and on the oracle, with
/// identical float contents. Each side is a view of a buffer <see cref="OpHarness.Guard"/>
/// elements longer than the view, the extra tail filled with a NaN pattern, so an operation
/// that reads past its length poisons its result and one that writes past it is caught.
/// </summary>
public sealed class TensorPair : IDisposable
{
    internal TensorPair(Tensor actualBase, Tensor expectedBase, TensorShape shape, float[] initial, PairRole role)
    {
        ActualBase = actualBase;
        ExpectedBase = expectedBase;
        Actual = actualBase.View(shape);
        Expected = expectedBase.View(shape);
        Initial = initial;
        Role = role;
    }

    /// <summary>The view handed to the provider under test.</summary>
    public Tensor Actual { get; }

    /// <summary>The view handed to the oracle.</summary>
    public Tensor Expected { get; }

    public TensorShape Shape => Actual.Shape;

    public int Length => Actual.Length;

    public PairRole Role { get; internal set; }

    /// <summary>The whole buffer, tail included, as last uploaded.</summary>
    internal float[] Initial { get; }

    internal Tensor ActualBase { get; }

    internal Tensor ExpectedBase { get; }

    public void Dispose()
    {
        ActualBase.Dispose();
        ExpectedBase.Dispose();
    }

    public override string ToString() => $"{Shape} ({Role})";
}
