namespace CnnNative.Providers.OpenCl;

/// <summary>
/// Host↔device traffic of one provider since it started: how many uploads and downloads and
/// how many bytes each way. Subtract two snapshots to count what a piece of work moved
/// (a training step should move one batch up and a couple of scalars down).
/// </summary>
public readonly record struct TransferStatistics(long Uploads, long UploadedBytes, long Downloads, long DownloadedBytes)
{
    /// <summary>What moved between two snapshots of the same provider: <paramref name="after"/> minus <paramref name="before"/>, field by field.</summary>
    public static TransferStatistics operator -(TransferStatistics after, TransferStatistics before) => new(
        after.Uploads - before.Uploads, after.UploadedBytes - before.UploadedBytes,
        after.Downloads - before.Downloads, after.DownloadedBytes - before.DownloadedBytes);

    /// <summary>"U upload(s), B B up; D download(s), B B down".</summary>
    public override string ToString() =>
        $"{Uploads} upload(s), {UploadedBytes} B up; {Downloads} download(s), {DownloadedBytes} B down";
}
