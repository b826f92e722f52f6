using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Hosting;

/// <summary>
/// What a process does before it serves or works, whichever adapter runs it (the settings gate comes first:
/// <see cref="Configuration.SettingsGate"/>): the schema is brought up to date when asked, waiting for a Postgres that
/// cannot be reached yet (a platform starting services in any order, a database restarting) with the loops' backoff
/// instead of exiting, so a role never crash-loops on a brief outage. A release step (the migrate role) fails at once
/// so a deploy stops. Anything but an outage (bad credentials, a failed migration) is thrown to the caller.
/// </summary>
public sealed class StartupReadiness(Migrator migrator, HostingSettings settings, AppSettings app, ILogger<StartupReadiness> log)
{
    private int reported;

    /// <summary>
    /// MICAI_MIGRATE_ON_START, else the adapter's own default: a long-running Host role migrates at start, a Functions
    /// instance does not (a cold start on every instance is no place for it; the azd predeploy hook migrates).
    /// </summary>
    public bool MigratesAtStart(bool adapterDefault)
    {
        ReportDeprecatedSettings();
        return settings.MigrateOnStart ?? adapterDefault;
    }

    /// <summary>
    /// Settings written for the Python service that MicAi ignores: one warning each, at the first start-up decision
    /// (every adapter and role takes one, the migrate role included), never a refusal.
    /// </summary>
    private void ReportDeprecatedSettings()
    {
        if (Interlocked.Exchange(ref reported, 1) == 1) return;
        foreach (var line in app.Deprecations) HostingLog.DeprecatedSetting(log, line);
    }

    /// <summary>Migrates when <see cref="MigratesAtStart"/>, waiting for Postgres.</summary>
    /// <returns>False when <paramref name="stop"/> was cancelled before the schema was current.</returns>
    public Task<bool> MigrateIfAskedAsync(bool adapterDefault, CancellationToken stop) =>
        MigratesAtStart(adapterDefault) ? MigrateAsync(waitForDatabase: true, stop) : Task.FromResult(true);

    /// <summary>The release step: migrates now and fails at once when Postgres cannot be reached.</summary>
    public Task<bool> MigrateNowAsync(CancellationToken stop)
    {
        ReportDeprecatedSettings();
        return MigrateAsync(waitForDatabase: false, stop);
    }

    /// <summary><c>migrate --dry-run</c>: what the release step would do, one line per step; nothing is changed.</summary>
    public Task<IReadOnlyList<string>> PlanMigrationAsync(CancellationToken stop)
    {
        ReportDeprecatedSettings();
        return migrator.PlanAsync(stop);
    }

    private async Task<bool> MigrateAsync(bool waitForDatabase, CancellationToken stop)
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
                HostingLog.WaitingForDatabase(log, delay, ex.Message);
                try { await Task.Delay(delay, stop); }
                catch (OperationCanceledException) { return false; }
            }
        }
    }
}
