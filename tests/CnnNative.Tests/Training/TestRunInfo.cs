using CnnNative.Core;
using CnnNative.Data;
using CnnNative.Nn.Training;
using CnnNative.Training;

namespace CnnNative.Tests.Training;

/// <summary>A plausible run.json for tests that need a <see cref="RunFolder"/> but not a real job.</summary>
internal static class TestRunInfo
{
    public static RunInfo Create()
    {
        var data = new DataSplits("/data", SyntheticData.Train(40), SyntheticData.Test(8), [new DataFile("train-images", "/data/x", 1)]);
        var provider = new ProviderInfo("managed", "test CPU", 2, new Dictionary<string, string>());
        return RunInfo.Create(SyntheticData.Model().For(new TensorShape(1, 8, 8), 4), 100, new TrainingSettings(), provider, data, null,
            new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    }
}
