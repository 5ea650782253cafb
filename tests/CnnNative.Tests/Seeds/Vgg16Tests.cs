using CnnNative.Core;
using CnnNative.Nn;
using CnnNative.Tests.Infrastructure;
using CnnNative.Tests.Nn;
using CnnNative.Tests.Reference;

namespace CnnNative.Tests.Seeds;

/// <summary>
/// Seed 002's VGG16. Its 224×224 form costs ~45 GFLOP per training image, so the tests run the
/// same network on 32×32 colour input (the smallest its five pools take; every layer is there)
/// and gradient-check a copy whose widths are divided by 16 (convolutions) and 64 (affine).
/// </summary>
public abstract class Vgg16Tests(ProviderFixture fixture) : IClassFixture<ProviderFixture>
{
    internal static readonly TensorShape Small = new(3, 32, 32);

    private IComputeProvider Provider => fixture.Provider(ProviderUnderTestAttribute.Of(GetType()));

    [ProviderFact]
    public void Forward_and_backward_agree_with_the_managed_provider()
    {
        var spec = ModelPresets.Create(ModelPresets.Vgg16, 10);
        var (loss, gradients) = Step(Provider, spec);
        using var managed = new Providers.Managed.ManagedProvider(2);
        var (expectedLoss, expected) = Step(managed, spec);

        Assert.True(Math.Abs(loss - expectedLoss) <= 1e-4 + 1e-4 * expectedLoss, $"loss {loss} vs managed {expectedLoss}");
        foreach (var (name, values) in expected)
        {
            double scale = values.Max(v => Math.Abs(v)) + 1e-12;
            double worst = values.Zip(gradients[name], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-3 * scale, $"{name}: largest gradient difference {worst} against a largest gradient {scale}");
        }
    }

    /// <summary>One forward + backward at batch 2 (training mode: the dropout masks of step 0); the loss and the first and last layers' gradients.</summary>
    private static (float Loss, Dictionary<string, float[]> Gradients) Step(IComputeProvider provider, ModelSpec spec)
    {
        using var net = Network.Build(spec, Small, 10, provider, seed: 2);
        using var x = NnTestData.Random(provider, 5, 2, 3, 32, 32);
        using var labels = NnTestData.Labels(provider, 2, 10);
        net.Forward(x, training: true);
        net.Loss(labels);
        net.Backward();
        var watched = new[] { net.Parameters[0], net.Parameters[^2], net.Parameters[^1] };
        return (net.ReadLoss(), watched.ToDictionary(p => p.Name, p => Download(provider, p.Gradient)));
    }

    private static float[] Download(IComputeProvider provider, Tensor t)
    {
        var host = new float[t.Length];
        provider.Download(t, host);
        return host;
    }
}

[ProviderUnderTest("managed")]
public sealed class ManagedVgg16Tests(ProviderFixture fixture) : Vgg16Tests(fixture);

[ProviderUnderTest("openblas")]
public sealed class OpenBlasVgg16Tests(ProviderFixture fixture) : Vgg16Tests(fixture);

[ProviderUnderTest("opencl")]
public sealed class OpenClVgg16Tests(ProviderFixture fixture) : Vgg16Tests(fixture);

public class Vgg16StructureTests
{
    [Fact]
    public void The_preset_is_the_seeds_network()
    {
        var summary = ModelPresets.Create(ModelPresets.Vgg16, ModelPresets.Vgg16Classes).Validate(new TensorShape(3, 224, 224), 1000);
        Assert.Equal(138_357_544, summary.TotalParameters); // torchvision's vgg16 has the same count
        Assert.Equal(13, summary.Layers.Count(l => l.Type == "conv"));
        Assert.Equal(5, summary.Layers.Count(l => l.Type == "maxpool"));
        Assert.Equal(new TensorShape(512, 7, 7), summary.Layers.Last(l => l.Type == "maxpool").OutputShape);
    }

    [Fact]
    public void A_reduced_copy_passes_the_gradient_check_on_the_reference()
    {
        var full = ModelPresets.Create(ModelPresets.Vgg16, 4);
        int affines = full.Layers.Count(l => l.Type == "affine");
        int seen = 0;
        var reduced = full with
        {
            Layers = [.. full.Layers.Select(l => l.Type switch
            {
                "conv" => l with { Filters = l.Filters / 16 },
                "affine" when ++seen < affines => l with { Units = l.Units / 64 },
                _ => l,
            })],
        };
        using var p = new ReferenceProvider();
        using var net = Network.Build(reduced, Vgg16Tests.Small, 4, p, seed: 7);
        using var x = NnTestData.Random(p, 11, 2, 3, 32, 32);
        using var labels = NnTestData.Labels(p, 2, 4);
        var result = GradientCheck.Check(net, x, labels, new GradientCheckOptions { MaxElementsPerTensor = 6 });
        Assert.Equal(net.Parameters.Count, result.Parameters.Count);
        Assert.True(result.MaxRelativeError < 1e-5, result.ToString());
    }
}
