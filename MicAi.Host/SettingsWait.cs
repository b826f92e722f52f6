using MicAi.Core;
using MicAi.Core.Configuration;

namespace MicAi.Host;

/// <summary>
/// AddMicAiCore, retried while the only problems are Key Vault references the platform has not resolved yet: the
/// role prints one line naming them per check and waits (MICAI_SETTINGS_RECHECK_SECONDS) instead of exiting, so it
/// does not crash-loop while an identity waits for its grant. Settings are read again at every check (secret files
/// can change); a platform that resolves a reference in the environment restarts the process anyway. Any genuine
/// problem (missing, placeholder, malformed) is thrown as before.
/// </summary>
internal static class SettingsWait
{
    /// <returns>False when SIGTERM or Ctrl+C arrived while waiting.</returns>
    public static async Task<bool> AddMicAiCoreAsync(IHostApplicationBuilder builder)
    {
        using var signal = new StopSignal();
        var interval = UnresolvedSettings.RecheckInterval(key => builder.Configuration[key]);
        while (true)
        {
            try
            {
                builder.AddMicAiCore();
                return true;
            }
            catch (InvalidSettingsException ex) when (ex.OnlyUnresolvedReferences)
            {
                Console.Error.WriteLine($"MicAi is waiting: {UnresolvedSettings.Describe(ex.Unresolved)}; next check in {interval.TotalSeconds:0} s");
                try { await Task.Delay(interval, signal.Token); }
                catch (OperationCanceledException) { return false; }
            }
        }
    }
}
