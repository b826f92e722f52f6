using MicAi.Core.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MicAi.Functions;

/// <summary>
/// MICAI_MIGRATE_ON_START=true: the schema is brought up to date in the background after the worker has connected to
/// the host (blocking before that would run into the host's start-up timeout and get the worker restarted). The gate
/// stays closed meanwhile; an unreachable Postgres is waited for (Core's start-up readiness). A migration that fails
/// for another reason keeps the gate closed with that reason in /health.
/// </summary>
internal sealed class MigrateOnStart(StartupReadiness readiness, StartupGate gate, ILogger<MigrateOnStart> log) : BackgroundService
{
    /// <summary>Functions instances do not migrate unless asked.</summary>
    public const bool AdapterDefault = false;

    public const string Reason = "the database schema is being brought up to date (MICAI_MIGRATE_ON_START=true)";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!readiness.MigratesAtStart(AdapterDefault)) return;
        try
        {
            if (await readiness.MigrateIfAskedAsync(AdapterDefault, stoppingToken)) gate.Open();
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            FunctionsLog.MigrationFailed(log, ex);
            gate.Close("the database migration at start failed; see the worker log (apply it with the migrate role, then restart)");
        }
    }
}
