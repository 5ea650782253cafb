using CnnNative.Nn.Training;
using CnnNative.Providers.OpenCl;
using CnnNative.Tests.Infrastructure;
using CnnNative.Tests.Training;

namespace CnnNative.Tests.OpenCl;

/// <summary>
/// The real <see cref="Trainer"/> on the OpenCL device: over whole epochs the data set goes up
/// once per epoch (batch by batch) and only scalars come down — a fixed handful per epoch for
/// progress, the epoch's metrics and the test accuracy, however many batches there are.
/// </summary>
public sealed class OpenClTrainerTransferTests
{
    [ProviderFact("opencl")]
    public void Epochs_upload_the_data_and_download_only_scalars()
    {
        using var p = (OpenClProvider)TestProviders.Create("opencl");
        using var network = SyntheticData.Build(p, seed: 3);
        var train = SyntheticData.Train();
        var test = SyntheticData.Test();
        const int epochs = 2;
        var settings = new TrainingSettings
        {
            Epochs = epochs,
            BatchSize = 32,
            Optimizer = TrainingSettings.OptimizerFor("adam", 0.01f),
            Seed = 5,
        };
        using var trainer = new Trainer(network, train, test, settings);

        var before = p.Transfers;
        var result = trainer.Run();
        var moved = p.Transfers - before;

        Assert.Equal(TrainingOutcome.Completed, result.Outcome);
        long dataBytes = epochs * (long)(train.Images.Length + train.Labels.Length + test.Images.Length + test.Labels.Length) * sizeof(float);
        Assert.InRange(moved.UploadedBytes, dataBytes, dataBytes + 64 * sizeof(float));
        Assert.True(moved.Uploads >= epochs * 2 * trainer.BatchesPerEpoch, moved.ToString());
        // Scalars only: a bounded number per epoch, independent of the batch count.
        long scalarBudget = epochs * (2L * Trainer.ReportsPerEpoch + 16);
        Assert.True(moved.Downloads <= scalarBudget, $"{moved}; at most {scalarBudget} downloads expected");
        Assert.True(moved.DownloadedBytes <= scalarBudget * sizeof(float), $"{moved}: more than scalars came down");
    }
}
