using CnnNative.Data;

namespace CnnNative.Tests.Data;

/// <summary>Skipped, with the reason shown, on a machine without Debian's dataset-fashion-mnist.</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!Directory.Exists(DatasetLoader.DefaultFolder))
            Skip = $"{DatasetLoader.DefaultFolder} is missing (apt-get install dataset-fashion-mnist).";
    }
}

public sealed class FashionMnistTests
{
    [FashionMnistFact]
    public void The_installed_fashion_mnist_loads_completely()
    {
        DataSplits data = DatasetLoader.Load();

        Assert.Equal(60000, data.Train.Count);
        Assert.Equal(10000, data.Test.Count);
        Assert.Equal((28, 28), (data.Train.Rows, data.Train.Columns));
        Assert.Equal(ClassNames.FashionMnist, data.Train.ClassNames);
        // Fashion-MNIST is exactly balanced: 6000 training and 1000 test images per class.
        Assert.All(data.Train.CountPerClass(), n => Assert.Equal(6000, n));
        Assert.All(data.Test.CountPerClass(), n => Assert.Equal(1000, n));
        Assert.Equal(0f, data.Test.Images.Min());
        Assert.Equal(1f, data.Test.Images.Max());
        Assert.Equal(4, data.Files.Count);
    }
}

/// <summary>
/// A <see cref="CnnNative.Tests.Infrastructure.ProviderTheoryAttribute"/> that needs the real
/// Fashion-MNIST too: skipped, with the reason shown, on a machine without dataset-fashion-mnist.
/// </summary>
public sealed class FashionMnistProviderTheoryAttribute : CnnNative.Tests.Infrastructure.ProviderTheoryAttribute
{
    public FashionMnistProviderTheoryAttribute()
    {
        if (!Directory.Exists(DatasetLoader.DefaultFolder))
            Skip = $"{DatasetLoader.DefaultFolder} is missing (apt-get install dataset-fashion-mnist).";
    }
}
