using CnnNative.Core;

namespace CnnNative.Tests.Infrastructure;

/// <summary>
/// Runs one operation on the provider under test and on the oracle with identical inputs,
/// then compares. Declare operands with <see cref="Input(TensorShape, float[])"/> (must stay
/// unchanged), <see cref="Output"/> (pre-filled with garbage or NaN so a kernel that skips
/// elements cannot pass) and <see cref="State"/> (read and written: accumulators, in-place
/// operands, optimizer state); call <see cref="Run"/> with the operation written once for
/// both sides; then <see cref="Check"/> each written operand. <see cref="Run"/> itself
/// verifies that inputs are unchanged and that no operand's buffer tail was touched.
/// </summary>
public sealed class OpHarness : IDisposable
{
    /// <summary>Extra elements after every view; odd so that it never lines up with a vector width.</summary>
    public const int Guard = 13;

    /// <summary>A quiet NaN with a recognisable payload, for buffer tails.</summary>
    public static readonly float TailPoison = BitConverter.Int32BitsToSingle(0x7FC0BEEF);

    private readonly List<TensorPair> _pairs = [];

    public OpHarness(IComputeProvider provider, IComputeProvider oracle, int seed)
    {
        Provider = provider;
        Oracle = oracle;
        Data = new TestData(seed);
    }

    public IComputeProvider Provider { get; }

    public IComputeProvider Oracle { get; }

    /// <summary>The seeded generator for this case's values.</summary>
    public TestData Data { get; }

    public TensorPair Input(TensorShape shape, float[] values) => Add(shape, values, PairRole.Input);

    public TensorPair Input(int length, float[] values) => Input(new TensorShape(length), values);

    /// <summary>An operand the operation overwrites, pre-filled so untouched elements show.</summary>
    public TensorPair Output(TensorShape shape, Prefill prefill = Prefill.Garbage) =>
        Add(shape, Data.Garbage(shape.Length, prefill), PairRole.Written);

    public TensorPair Output(int length, Prefill prefill = Prefill.Garbage) => Output(new TensorShape(length), prefill);

    /// <summary>An operand the operation reads and then updates.</summary>
    public TensorPair State(TensorShape shape, float[] values) => Add(shape, values, PairRole.Written);

    public TensorPair State(int length, float[] values) => State(new TensorShape(length), values);

    /// <summary>Uploads new contents to both sides (for example the next gradient of a repeated optimizer step).</summary>
    public void Reload(TensorPair pair, float[] values)
    {
        values.CopyTo(pair.Initial, 0);
        Upload(pair);
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on the oracle and on the provider under test; the
    /// second argument maps an operand to that side's tensor. Then checks every input and
    /// every buffer tail is untouched on the provider under test.
    /// </summary>
    public void Run(Action<IComputeProvider, Func<TensorPair, Tensor>> operation, string what = "operation")
    {
        operation(Oracle, static p => p.Expected);
        operation(Provider, static p => p.Actual);
        Provider.Synchronize();
        foreach (var pair in _pairs)
        {
            float[] now = DownloadActual(pair);
            int compareFrom = pair.Role == PairRole.Input ? 0 : pair.Length;
            Compare.Bitwise(pair.Initial.AsSpan(compareFrom), now.AsSpan(compareFrom),
                pair.Role == PairRole.Input ? $"{what}: input {pair.Shape}" : $"{what}: buffer tail after the {pair.Shape} output");
        }
    }

    /// <summary>Compares a written operand with the oracle's result.</summary>
    public void Check(TensorPair pair, Tolerance tolerance, string what)
    {
        var expected = new double[pair.Length];
        Oracle.Download(pair.ExpectedBase, expected);
        float[] actual = DownloadActual(pair);
        Compare.Close(expected, actual.AsSpan(0, pair.Length), tolerance, what);
    }

    /// <summary>The oracle's result for an operand (to build the next call's inputs from it).</summary>
    public float[] Expected(TensorPair pair)
    {
        var values = new float[pair.Length];
        Oracle.Download(pair.Expected, values);
        return values;
    }

    /// <summary>The provider's result for an operand.</summary>
    public float[] Actual(TensorPair pair)
    {
        var values = new float[pair.Length];
        Provider.Download(pair.Actual, values);
        return values;
    }

    public void Dispose()
    {
        foreach (var pair in _pairs) pair.Dispose();
        _pairs.Clear();
    }

    private TensorPair Add(TensorShape shape, float[] values, PairRole role)
    {
        if (values.Length != shape.Length)
            throw new ArgumentException($"{values.Length} values for shape {shape}.", nameof(values));
        var initial = new float[shape.Length + Guard];
        values.CopyTo(initial, 0);
        initial.AsSpan(shape.Length).Fill(TailPoison);
        var full = new TensorShape(initial.Length);
        var pair = new TensorPair(Provider.Allocate(full), Oracle.Allocate(full), shape, initial, role);
        _pairs.Add(pair);
        Upload(pair);
        return pair;
    }

    private void Upload(TensorPair pair)
    {
        Provider.Upload(pair.Initial, pair.ActualBase);
        Oracle.Upload(pair.Initial, pair.ExpectedBase);
    }

    private float[] DownloadActual(TensorPair pair)
    {
        var values = new float[pair.Initial.Length];
        Provider.Download(pair.ActualBase, values);
        return values;
    }
}
