using System.Runtime.InteropServices;

namespace MicAi.Host;

/// <summary>
/// SIGTERM or Ctrl+C while the process waits before its host runs (for settings, for Postgres): the wait ends and the
/// process exits 0 through its normal path. The generic host installs its own handlers once it runs.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly PosixSignalRegistration sigterm;
    private readonly PosixSignalRegistration sigint;

    public StopSignal()
    {
        sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    }

    public CancellationToken Token => stop.Token;

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true; // handled here: exit through the normal path
        stop.Cancel();
    }

    public void Dispose()
    {
        sigterm.Dispose();
        sigint.Dispose();
        stop.Dispose();
    }
}
