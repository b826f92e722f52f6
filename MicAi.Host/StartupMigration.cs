using System.Runtime.InteropServices;
using MicAi.Core.Storage;

namespace MicAi.Host;

/// <summary>
/// Every role brings the schema up to date before it starts. A long-running role whose Postgres cannot be reached yet
/// (a platform starting services in any order, a database restarting) waits for it with capped backoff instead of
/// exiting; SIGTERM or Ctrl+C during the wait ends the process cleanly. The migrate role is a release step: it fails
/// at once, so a deploy stops. Anything but an outage (bad credentials, a failed migration) ends the process.
/// </summary>
internal static class StartupMigration
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(15);

    /// <returns>False when the process was asked to stop while waiting for Postgres.</returns>
    public static async Task<bool> ApplyAsync(Migrator migrator, ILogger log, bool waitForDatabase)
    {
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // handled here: exit through the normal path
            stop.Cancel();
        }
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        var delay = FirstDelay;
        while (true)
        {
            try
            {
                await migrator.ApplyAsync(stop.Token);
                return true;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex) when (waitForDatabase && StorageFailure.IsUnavailable(ex))
            {
                HostLog.WaitingForDatabase(log, delay, ex.Message);
                try { await Task.Delay(delay, stop.Token); }
                catch (OperationCanceledException) { return false; }
                delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay;
            }
        }
    }
}
