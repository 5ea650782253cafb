using CnnNative.Core;

namespace CnnNative.Cli.Commands.Checks;

/// <summary>
/// The kernels on awkward shapes — sizes of 1, odd and prime sizes that straddle any tile,
/// every transpose, stride and padding — where a device kernel's edge handling goes wrong.
/// Outputs are prefilled with random values, so a kernel that skips an element cannot pass.
/// </summary>
internal static class OperationCases
{
    private static readonly (int M, int N, int K)[] GemmShapes = [(1, 1, 1), (7, 13, 5), (33, 17, 65), (128, 1, 300), (65, 96, 129), (1, 200, 31)];

    private static readonly ConvGeometry[] ConvShapes =
    [
        new(2, 3, 7, 5, 3, 2, 2, 1, 1, 1),
        ConvGeometry.Square(1, 1, 28, 28, 5),
        ConvGeometry.Square(3, 8, 4, 4, 1),
        ConvGeometry.Square(2, 4, 9, 9, 3, 2, 1),
    ];

    private static readonly PoolGeometry[] PoolShapes =
    [
        new(2, 3, 8, 6, 2, 2, 2, 2),
        new(3, 2, 7, 9, 3, 3, 2, 2, 1, 1),
        new(1, 4, 5, 5, 3, 3, 1, 1),
    ];

    private static readonly (int Rows, int Classes)[] LossShapes = [(1, 1), (3, 7), (100, 10), (5, 257), (257, 3)];

    public static IEnumerable<EquivalenceCase> All()
    {
        foreach (var (m, n, k) in GemmShapes)
            foreach (var (ta, tb) in new[] { (Transpose.NoTranspose, Transpose.NoTranspose), (Transpose.NoTranspose, Transpose.Transpose), (Transpose.Transpose, Transpose.NoTranspose), (Transpose.Transpose, Transpose.Transpose) })
                yield return Gemm(m, n, k, ta, tb);
        foreach (var g in ConvShapes)
        {
            yield return Im2Col(g);
            yield return Col2Im(g);
        }
        foreach (var g in PoolShapes) yield return MaxPool(g);
        foreach (var (rows, classes) in LossShapes) yield return SoftmaxCrossEntropy(rows, classes);
        yield return Elementwise(1);
        yield return Elementwise(1031);
        yield return Adam(1);
        yield return Adam(4099);
    }

    private static EquivalenceCase Gemm(int m, int n, int k, Transpose ta, Transpose tb) =>
        new("operation", $"Gemm {m}×{n}×{k} {Letter(ta)}{Letter(tb)}", CheckTolerance.Gemm(k), p =>
        {
            using var d = new CheckData(p, m * 7919 + n * 31 + k);
            var a = d.Random(m * k);
            var b = d.Random(k * n);
            var c = d.Random(m * n);
            p.Gemm(ta, tb, m, n, k, 0.7f, a, b, 0.3f, c);
            return [d.Read("C", c)];
        });

    private static string Letter(Transpose t) => t == Transpose.Transpose ? "T" : "N";

    private static EquivalenceCase Im2Col(ConvGeometry g) =>
        new("operation", $"Im2Col {g}", CheckTolerance.Kernel, p =>
        {
            using var d = new CheckData(p, g.ColumnLength);
            var x = d.Random(g.InputLength);
            var col = d.Random(g.ColumnLength);
            p.Im2Col(x, g, col);
            return [d.Read("col", col)];
        });

    private static EquivalenceCase Col2Im(ConvGeometry g) =>
        new("operation", $"Col2Im {g}", CheckTolerance.Kernel, p =>
        {
            using var d = new CheckData(p, g.InputLength);
            var col = d.Random(g.ColumnLength);
            var dx = d.Random(g.InputLength);
            p.Col2Im(col, g, dx);
            return [d.Read("dx", dx)];
        });

    private static EquivalenceCase MaxPool(PoolGeometry g) =>
        new("operation", $"MaxPool forward+backward {g}", CheckTolerance.Kernel, p =>
        {
            using var d = new CheckData(p, g.OutputLength);
            var x = d.Random(g.InputLength);
            var y = d.Random(g.OutputLength);
            var argmax = d.Random(g.OutputLength);
            p.MaxPoolForward(x, g, y, argmax);
            var dy = d.Random(g.OutputLength);
            var dx = d.Random(g.InputLength);
            p.MaxPoolBackward(dy, argmax, g, dx);
            return [d.Read("y", y), d.Read("dx", dx)];
        });

    private static EquivalenceCase SoftmaxCrossEntropy(int rows, int classes) =>
        new("operation", $"SoftmaxCrossEntropy forward+backward [{rows}, {classes}]", CheckTolerance.Kernel, p =>
        {
            using var d = new CheckData(p, rows * 1009 + classes);
            var logits = d.Tensor(d.Uniform(rows * classes, -8f, 8f), rows, classes);
            var labels = d.Tensor(d.Labels(rows, classes), rows);
            var probs = d.Random(rows, classes);
            var loss = d.Random(1);
            p.SoftmaxCrossEntropyForward(logits, labels, probs, loss);
            var dx = d.Random(rows, classes);
            p.SoftmaxCrossEntropyBackward(probs, labels, dx);
            return [d.Read("probs", probs), d.Read("loss", loss), d.Read("dx", dx)];
        });

    private static EquivalenceCase Elementwise(int n) =>
        new("operation", $"ReLU, sigmoid, axpy and their gradients [{n}]", CheckTolerance.Kernel, p =>
        {
            using var d = new CheckData(p, n + 5);
            var x = d.Random(n);
            var relu = d.Random(n);
            var sigmoid = d.Random(n);
            p.ReluForward(x, relu);
            p.SigmoidForward(x, sigmoid);
            var dy = d.Random(n);
            var dRelu = d.Random(n);
            var dSigmoid = d.Random(n);
            p.ReluBackward(dy, relu, dRelu);
            p.SigmoidBackward(dy, sigmoid, dSigmoid);
            p.Axpy(-0.25f, x, dy);
            return [d.Read("relu", relu), d.Read("sigmoid", sigmoid), d.Read("relu dx", dRelu), d.Read("sigmoid dx", dSigmoid), d.Read("axpy", dy)];
        });

    private static EquivalenceCase Adam(int n) =>
        new("operation", $"Adam step [{n}]", CheckTolerance.Kernel, p =>
        {
            using var d = new CheckData(p, n + 11);
            var param = d.Random(n);
            var grad = d.Random(n);
            var m = d.Tensor(d.Uniform(n, -0.1f, 0.1f), n);
            var v = d.Tensor(d.Uniform(n, 0f, 0.1f), n);
            p.AdamStep(param, grad, m, v, 0.001f, 0.9f, 0.999f, 1e-4f);
            return [d.Read("param", param), d.Read("m", m), d.Read("v", v)];
        });
}
