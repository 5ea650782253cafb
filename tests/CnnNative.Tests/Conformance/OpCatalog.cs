using CnnNative.Core;

namespace CnnNative.Tests.Conformance;

/// <summary>
/// One tensor argument of a catalogued call: its parameter name, its shape in the valid call,
/// and the parameter name the validation must blame when this argument is one element too
/// short (null where a shorter tensor is still valid, or cannot exist).
/// </summary>
public sealed record OpArg(string Name, TensorShape Shape, string? ShortBlames);

/// <summary>A forbidden sharing: passing <see cref="Arg"/> as a view of <see cref="Of"/>'s memory must throw, blaming <see cref="Blames"/>.</summary>
public sealed record OpAlias(string Arg, string Of, string Blames);

/// <summary>
/// A valid call of one contract operation on small zero-filled tensors (zeros are valid for
/// every argument: labels 0, variance 0, argmax 0), used by the error-case tests to break one
/// argument at a time.
/// </summary>
public sealed record OpCall(string Operation, OpArg[] Args, Action<IComputeProvider, Tensor[]> Invoke, OpAlias[] ForbiddenAliases)
{
    public int IndexOf(string arg) => Array.FindIndex(Args, a => a.Name == arg);

    public override string ToString() => Operation;
}

/// <summary>Every tensor-taking operation of <see cref="IComputeProvider"/>, once.</summary>
public static class OpCatalog
{
    private static readonly ConvGeometry Conv = ConvGeometry.Square(2, 3, 5, 5, kernel: 3, stride: 1, pad: 1);
    private static readonly PoolGeometry Pool = PoolGeometry.Square(2, 3, 6, 6, pool: 2, stride: 2);
    private static readonly BatchNormGeometry Bn = new(2, 3, 4);

    private static OpArg A(string name, params int[] dims) => new(name, new TensorShape(dims), name);
    private static OpArg A(string name, string? shortBlames, params int[] dims) => new(name, new TensorShape(dims), shortBlames);
    private static OpAlias[] No => [];
    private static OpAlias[] Forbid(params (string Arg, string Of, string Blames)[] aliases) => [.. aliases.Select(a => new OpAlias(a.Arg, a.Of, a.Blames))];

    public static readonly OpCall[] All =
    [
        // memory
        new("Upload", [A("dst", 10)], (p, t) => p.Upload(new float[10], t[0]), No),
        new("UploadDouble", [A("dst", 10)], (p, t) => p.Upload(new double[10], t[0]), No),
        new("Download", [A("src", 10)], (p, t) => p.Download(t[0], new float[10]), No),
        new("DownloadDouble", [A("src", 10)], (p, t) => p.Download(t[0], new double[10]), No),
        new("Copy", [A("src", null, 10), A("dst", 10)], (p, t) => p.Copy(t[0], t[1]), Forbid(("dst", "src", "dst"))),
        new("Fill", [A("x", null, 10)], (p, t) => p.Fill(t[0], 1f), No),

        // linear algebra and elementwise
        new("Gemm", [A("a", 2, 3), A("b", 3, 4), A("c", 2, 4)],
            (p, t) => p.Gemm(Transpose.NoTranspose, Transpose.NoTranspose, 2, 4, 3, 1f, t[0], t[1], 0f, t[2]),
            Forbid(("c", "a", "c"), ("c", "b", "c"))),
        new("BatchedTranspose", [A("src", 2, 3, 4), A("dst", 2, 4, 3)], (p, t) => p.BatchedTranspose(t[0], 2, 3, 4, t[1]), Forbid(("dst", "src", "dst"))),
        new("BatchedTransposeAddChannelBias", [A("src", 2, 3, 4), A("bias", 4), A("dst", 2, 4, 3)],
            (p, t) => p.BatchedTransposeAddChannelBias(t[0], 2, 3, 4, t[1], t[2]), Forbid(("dst", "src", "dst"), ("bias", "dst", "dst"))),
        new("BatchedTransposeSumChannels", [A("src", 2, 3, 4), A("dst", 2, 4, 3), A("sums", 3)],
            (p, t) => p.BatchedTransposeSumChannels(t[0], 2, 3, 4, t[1], t[2]), Forbid(("dst", "src", "dst"), ("sums", "src", "sums"), ("sums", "dst", "sums"))),
        new("Add", [A("a", "b", 10), A("b", 10), A("c", 10)], (p, t) => p.Add(t[0], t[1], t[2]), No),
        new("Multiply", [A("a", "b", 10), A("b", 10), A("c", 10)], (p, t) => p.Multiply(t[0], t[1], t[2]), No),
        new("Scale", [A("x", "y", 10), A("y", 10)], (p, t) => p.Scale(t[0], 2f, t[1]), No),
        new("Axpy", [A("x", "y", 10), A("y", 10)], (p, t) => p.Axpy(2f, t[0], t[1]), No),
        new("ReluForward", [A("x", "y", 10), A("y", 10)], (p, t) => p.ReluForward(t[0], t[1]), No),
        new("ReluBackward", [A("dy", "y", 10), A("y", 10), A("dx", 10)], (p, t) => p.ReluBackward(t[0], t[1], t[2]), No),
        new("SigmoidForward", [A("x", "y", 10), A("y", 10)], (p, t) => p.SigmoidForward(t[0], t[1]), No),
        new("SigmoidBackward", [A("dy", "y", 10), A("y", 10), A("dx", 10)], (p, t) => p.SigmoidBackward(t[0], t[1], t[2]), No),
        new("TanhForward", [A("x", "y", 10), A("y", 10)], (p, t) => p.TanhForward(t[0], t[1]), No),
        new("TanhBackward", [A("dy", "y", 10), A("y", 10), A("dx", 10)], (p, t) => p.TanhBackward(t[0], t[1], t[2]), No),
        new("LeakyReluForward", [A("x", "y", 10), A("y", 10)], (p, t) => p.LeakyReluForward(t[0], 0.1f, t[1]), No),
        new("LeakyReluBackward", [A("dy", "y", 10), A("y", 10), A("dx", 10)], (p, t) => p.LeakyReluBackward(t[0], t[1], 0.1f, t[2]), No),

        // bias
        new("AddRowBias", [A("x", 4, 5), A("bias", null, 5)], (p, t) => p.AddRowBias(t[0], t[1]), Forbid(("bias", "x", "bias"))),
        new("SumRows", [A("dy", 4, 5), A("db", null, 5)], (p, t) => p.SumRows(t[0], t[1]), Forbid(("db", "dy", "db"))),
        new("AddChannelBias", [A("x", 2, 3, 4), A("bias", "x", 3)], (p, t) => p.AddChannelBias(t[0], t[1]), Forbid(("bias", "x", "bias"))),
        new("SumChannels", [A("dy", 2, 3, 4), A("db", "dy", 3)], (p, t) => p.SumChannels(t[0], t[1]), Forbid(("db", "dy", "db"))),

        // convolution and pooling
        new("Im2Col", [A("x", 2, 3, 5, 5), A("col", Conv.ColumnRows, Conv.PatchSize)], (p, t) => p.Im2Col(t[0], Conv, t[1]), Forbid(("col", "x", "col"))),
        new("Col2Im", [A("col", Conv.ColumnRows, Conv.PatchSize), A("dx", 2, 3, 5, 5)], (p, t) => p.Col2Im(t[0], Conv, t[1]), Forbid(("dx", "col", "dx"))),
        new("ConvolutionForward", [A("x", 2, 3, 5, 5), A("weights", 4, 3, 3, 3), A("bias", null, 4), A("y", 2, 4, 5, 5)],
            (p, t) => p.ConvolutionForward(t[0], Conv, t[1], t[2], t[3]), Forbid(("y", "x", "y"), ("y", "weights", "y"), ("y", "bias", "y"))),
        new("ConvolutionForwardBatchNorm", [A("x", 2, 3, 5, 5), A("weights", 4, 3, 3, 3), A("bias", null, 4), A("gamma", 4), A("beta", 4),
                A("runningMean", 4), A("runningVar", 4), A("y", 2, 4, 5, 5)],
            (p, t) => p.ConvolutionForwardBatchNorm(t[0], Conv, t[1], t[2], t[3], t[4], t[5], t[6], 1e-5f, relu: true, t[7]),
            Forbid(("y", "x", "y"), ("y", "weights", "y"), ("y", "bias", "y"), ("y", "gamma", "y"), ("y", "beta", "y"), ("y", "runningMean", "y"), ("y", "runningVar", "y"))),
        new("ConvolutionWeightGradient", [A("dy", 2, 4, 5, 5), A("x", 2, 3, 5, 5), A("dWeights", 4, 3, 3, 3), A("dBias", null, 4)],
            (p, t) => p.ConvolutionWeightGradient(t[0], t[1], Conv, t[2], t[3]),
            Forbid(("dWeights", "dy", "dWeights"), ("dWeights", "x", "dWeights"), ("dBias", "dy", "dBias"), ("dBias", "x", "dBias"), ("dBias", "dWeights", "dBias"))),
        new("ConvolutionInputGradient", [A("dy", 2, 4, 5, 5), A("weights", 4, 3, 3, 3), A("dx", 2, 3, 5, 5)],
            (p, t) => p.ConvolutionInputGradient(t[0], Conv, t[1], 4, t[2]), Forbid(("dx", "dy", "dx"), ("dx", "weights", "dx"))),
        new("MaxPoolForward", [A("x", 2, 3, 6, 6), A("y", 2, 3, 3, 3), A("argmax", 2, 3, 3, 3)], (p, t) => p.MaxPoolForward(t[0], Pool, t[1], t[2]),
            Forbid(("y", "x", "y"), ("argmax", "x", "argmax"), ("argmax", "y", "argmax"))),
        new("MaxPoolBackward", [A("dy", 2, 3, 3, 3), A("argmax", 2, 3, 3, 3), A("dx", 2, 3, 6, 6)], (p, t) => p.MaxPoolBackward(t[0], t[1], Pool, t[2]),
            Forbid(("dx", "dy", "dx"), ("dx", "argmax", "dx"))),
        new("AvgPoolForward", [A("x", 2, 3, 6, 6), A("y", 2, 3, 3, 3)], (p, t) => p.AvgPoolForward(t[0], Pool, t[1]), Forbid(("y", "x", "y"))),
        new("AvgPoolBackward", [A("dy", 2, 3, 3, 3), A("dx", 2, 3, 6, 6)], (p, t) => p.AvgPoolBackward(t[0], Pool, t[1]), Forbid(("dx", "dy", "dx"))),

        // loss and metrics
        new("Softmax", [A("logits", 4, 5), A("probs", 4, 5)], (p, t) => p.Softmax(t[0], t[1]), No),
        new("SoftmaxCrossEntropyForward", [A("logits", 4, 5), A("labels", 4), A("probs", 4, 5), A("loss", null, 1)],
            (p, t) => p.SoftmaxCrossEntropyForward(t[0], t[1], t[2], t[3]),
            Forbid(("probs", "labels", "probs"), ("loss", "probs", "probs"), ("loss", "logits", "logits"))),
        new("SoftmaxCrossEntropyBackward", [A("probs", 4, 5), A("labels", 4), A("dx", 4, 5)], (p, t) => p.SoftmaxCrossEntropyBackward(t[0], t[1], t[2]),
            Forbid(("dx", "labels", "dx"))),
        new("CountCorrect", [A("scores", 4, 5), A("labels", 4), A("counter", null, 1)], (p, t) => p.CountCorrect(t[0], t[1], t[2]),
            Forbid(("counter", "scores", "counter"), ("counter", "labels", "counter"))),

        // batch normalisation
        new("BatchNormForwardTraining",
            [A("x", 2, 3, 4), A("gamma", 3), A("beta", 3), A("runningMean", 3), A("runningVar", 3), A("y", 2, 3, 4), A("saveMean", 3), A("saveInvStd", 3)],
            (p, t) => p.BatchNormForwardTraining(t[0], Bn, t[1], t[2], t[3], t[4], 0.9f, 1e-6f, t[5], t[6], t[7]),
            Forbid(("y", "x", "y"))),
        new("BatchNormForwardInference",
            [A("x", 2, 3, 4), A("gamma", 3), A("beta", 3), A("runningMean", 3), A("runningVar", 3), A("y", 2, 3, 4)],
            (p, t) => p.BatchNormForwardInference(t[0], Bn, t[1], t[2], t[3], t[4], 1e-6f, t[5]), No),
        new("BatchNormBackward",
            [A("dy", 2, 3, 4), A("x", 2, 3, 4), A("gamma", 3), A("saveMean", 3), A("saveInvStd", 3), A("dx", 2, 3, 4), A("dgamma", 3), A("dbeta", 3)],
            (p, t) => p.BatchNormBackward(t[0], t[1], Bn, t[2], t[3], t[4], t[5], t[6], t[7]),
            Forbid(("dx", "x", "dx"), ("dbeta", "dgamma", "dbeta"))),

        // dropout and optimizers
        new("DropoutForward", [A("x", "y", 10), A("y", 10), A("mask", 10)], (p, t) => p.DropoutForward(t[0], 0.5f, 1, 2, t[1], t[2]),
            Forbid(("mask", "x", "mask"), ("mask", "y", "mask"))),
        new("SgdStep", [A("param", "grad", 10), A("grad", 10)], (p, t) => p.SgdStep(t[0], t[1], 0.1f, 0f), Forbid(("grad", "param", "grad"))),
        new("MomentumStep", [A("param", "grad", 10), A("grad", 10), A("velocity", 10)], (p, t) => p.MomentumStep(t[0], t[1], t[2], 0.1f, 0.9f, 0f),
            Forbid(("grad", "param", "grad"), ("velocity", "param", "velocity"), ("velocity", "grad", "velocity"))),
        new("NesterovStep", [A("param", "grad", 10), A("grad", 10), A("velocity", 10)], (p, t) => p.NesterovStep(t[0], t[1], t[2], 0.1f, 0.9f, 0f),
            Forbid(("velocity", "param", "velocity"), ("velocity", "grad", "velocity"))),
        new("AdaGradStep", [A("param", "grad", 10), A("grad", 10), A("h", 10)], (p, t) => p.AdaGradStep(t[0], t[1], t[2], 0.1f, 0f),
            Forbid(("h", "param", "h"), ("h", "grad", "h"))),
        new("RmsPropStep", [A("param", "grad", 10), A("grad", 10), A("h", 10)], (p, t) => p.RmsPropStep(t[0], t[1], t[2], 0.1f, 0.99f, 0f),
            Forbid(("h", "param", "h"), ("h", "grad", "h"))),
        new("AdamStep", [A("param", "grad", 10), A("grad", 10), A("m", 10), A("v", 10)], (p, t) => p.AdamStep(t[0], t[1], t[2], t[3], 0.001f, 0.9f, 0.999f, 0f),
            Forbid(("m", "param", "m"), ("v", "grad", "v"), ("v", "m", "v"))),
    ];

    public static OpCall Get(string operation) => All.Single(c => c.Operation == operation);

    public static TheoryData<string> Operations() => new(All.Select(c => c.Operation));
}
