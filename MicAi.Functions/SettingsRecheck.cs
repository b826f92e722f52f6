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
        var interval = UnresolvedSettings.RecheckInterval(key => config[key]);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                MicAiCoreExtensions.LoadSettings(key => config[key], SecretSource.Default);
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
            lifetime.StopApplication();
            return;
        }
    }
}
