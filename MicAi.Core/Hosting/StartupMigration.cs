using MicAi.Core.Queue;
using MicAi.Core.Storage;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Hosting;

/// <summary>
/// Brings the schema up to date when a process starts (the Host's roles by default, Functions when
/// MICAI_MIGRATE_ON_START asks for it). A process whose Postgres cannot be reached yet (a platform starting services
/// in any order, a database restarting) waits for it with the loops' backoff instead of exiting, so it never
/// crash-loops on a brief outage. A release step (<c>waitForDatabase: false</c>) fails at once so a deploy stops.
/// Anything but an outage (bad credentials, a failed migration) is thrown to the caller.
/// </summary>
public static class StartupMigration
{
    /// <returns>False when <paramref name="stop"/> was cancelled before the schema was current.</returns>
    public static async Task<bool> ApplyAsync(Migrator migrator, ILogger log, bool waitForDatabase, CancellationToken stop)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                await migrator.ApplyAsync(stop);
                return true;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex) when (waitForDatabase && StorageFailure.IsUnavailable(ex))
            {
                var delay = Backoff.Loop(failures);
                StorageLog.WaitingForDatabase(log, delay, ex.Message);
                try { await Task.Delay(delay, stop); }
                catch (OperationCanceledException) { return false; }
            }
        }
    }
}
