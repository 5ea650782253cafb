using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Nn;

/// <summary>The residual network with a user-defined layer that src/CnnNative.Nn/README.md shows, compiled and trained here so the README stays true.</summary>
public sealed class ReadmeExampleTests
{
    // ── the README's lines, unchanged ───────────────────────────────────────────────────────
    private static Network BuildResidualCnn(IComputeProvider p)
    {
        var x = new TensorShape(1, 8, 8);
        var stem = new Convolution(p, "stem", x, 8, 3, 1, 1);
        var s = stem.OutputShape;                                   // [8, 8, 8]
        Layer[] Block(TensorShape i) =>
        [
            new Convolution(p, "conv1", i, 8, 3, 1, 1), new BatchNormalization(p, "bn1", i), new Swish(p, "act", i),
            new Convolution(p, "conv2", i, 8, 3, 1, 1), new BatchNormalization(p, "bn2", i),
        ];
        var block1 = new Residual("block1", Block(s));   // identity shortcut
        var down = new Convolution(p, "conv1", s, 16, 3, 2, 1);    // stride 2: [16, 4, 4]
        var d = down.OutputShape;
        var block2 = new Residual("block2",
            body: [down, new BatchNormalization(p, "bn1", d), new Swish(p, "act", d)],
            shortcut: [new Convolution(p, "proj", s, 16, 1, 2, 0)]);
        var gap = new GlobalAveragePooling(p, "gap", d);
        return new Network(
            [stem, new Swish(p, "stem_act", s), block1, new Relu(p, "relu1", s), block2, gap, new Affine(p, "head", gap.OutputShape, 3)],
            seed: 1, init: WeightInit.He, loss: new SoftmaxWithLoss(labelSmoothing: 0.05f));
    }
    // ─────────────────────────────────────────────────────────────────────────────────────────

    [Fact]
    public void The_readme_network_has_nested_names_and_learns()
    {
        using var p = new ReferenceProvider();
        using var net = BuildResidualCnn(p);
        Assert.Contains("block2.proj.W", net.Parameters.Select(q => q.Name));
        Assert.Contains("block1.bn2.running_var", net.Buffers.Select(b => b.Name));
        using var optimizer = Optimizer.Create(OptimizerSettings.For("adam") with { LearningRate = 0.01f }, net.Parameters);
        var (x, t) = SyntheticBars.Batches(p, 24, 24, seed: 2);
        try
        {
            float first = 0, last = 0;
            for (int step = 0; step < 12; step++)
            {
                net.TrainStep(x[0], t[0], optimizer);
                if (step == 0) first = net.ReadLoss();
                last = net.ReadLoss();
            }
            Assert.True(last < first * 0.7f, $"loss {first} → {last}");
        }
        finally
        {
            foreach (var tensor in x.Concat(t)) tensor.Dispose();
        }
    }
}
