using System.Runtime.InteropServices;
using MicAi.Core.Queue;
using MicAi.Core.Storage;

namespace MicAi.Host;

/// <summary>
/// Every role brings the schema up to date before it starts. A long-running role whose Postgres cannot be reached yet
/// (a platform starting services in any order, a database restarting) waits for it, with the loops' backoff, instead
/// of exiting; SIGTERM or Ctrl+C during the wait ends the process cleanly. The migrate role is a release step: it fails
/// at once, so a deploy stops. Anything but an outage (bad credentials, a failed migration) ends the process.
/// </summary>
internal static class StartupMigration
{
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

        for (var failures = 1; ; failures++)
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
                var delay = Backoff.Loop(failures);
                HostLog.WaitingForDatabase(log, delay, ex.Message);
                try { await Task.Delay(delay, stop.Token); }
                catch (OperationCanceledException) { return false; }
            }
        }
    }
}
