namespace CnnNative.Cli.Report;

/// <summary>
/// One point of the per-iteration loss curve: <paramref name="Loss"/> is the mean training
/// loss of the mini-batches after the previous point, up to and including mini-batch
/// <paramref name="Step"/> (counted from 1 over the whole run).
/// </summary>
internal readonly record struct StepLoss(long Step, double Loss);
