using MicAi.Core;
using MicAi.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MicAi.Functions;

/// <summary>
/// While settings are unresolved Key Vault references, loads them again every MICAI_SETTINGS_RECHECK_SECONDS. Once
/// they load (or fail for a genuine reason), the worker stops itself so the Functions host starts a fresh one that
/// builds everything from them: services cannot be rebuilt in place. The platform also restarts the app when it
/// resolves a reference in the environment; this covers values that arrive in secret files.
/// </summary>
internal sealed class SettingsRecheck(IConfiguration config, IHostApplicationLifetime lifetime, ILogger<SettingsRecheck> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = AppSettings.RecheckInterval(key => config[key]);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                MicAiSettings.Load(config);
            }
            catch (InvalidSettingsException ex) when (ex.OnlyUnresolvedReferences)
            {
                FunctionsLog.StillUnresolved(log, string.Join(", ", ex.Unresolved), interval);
                continue;
            }
            catch (InvalidSettingsException)
            {
                // Not a reference any more but still wrong: the fresh worker will refuse to start and say why.
            }
            FunctionsLog.SettingsChanged(log);
            // The log above travels over the host's gRPC stream, which stopping may cut before it is sent; the host
            // also records the worker's stderr, so the reason for the restart is never lost.
            await Console.Error.WriteLineAsync("The settings have changed since start: stopping this worker so the host starts one that loads them");
            lifetime.StopApplication();
            return;
        }
    }
}
