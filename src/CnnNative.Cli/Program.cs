using System.Runtime.InteropServices;
using CnnNative.Cli;

// Ctrl+C (and SIGTERM) cancel the token the commands receive, so training can finish its
// batch and save a checkpoint; a second Ctrl+C ends the process at once.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    Console.Error.WriteLine("cnn: stopping at the next safe point (press Ctrl+C again to abort at once)...");
    cancellation.Cancel();
};

PosixSignalRegistration? sigterm = null;
try
{
    sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        cancellation.Cancel();
    });
}
catch (PlatformNotSupportedException)
{
    // No SIGTERM here (some Windows hosts): Ctrl+C alone stops the tool gracefully.
}

using (sigterm)
    return CliApp.Run(args, CliEnvironment.FromProcess(), cancellation.Token);
