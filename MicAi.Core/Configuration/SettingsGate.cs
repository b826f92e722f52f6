namespace MicAi.Core.Configuration;

/// <summary>
/// The first step of start-up readiness: settings that load, or a process that waits. While the only problems are
/// Key Vault references the platform has not resolved yet, it names them (never their values) and loads again every
/// MICAI_SETTINGS_RECHECK_SECONDS instead of exiting, so a role does not crash-loop while an identity waits for its
/// grant; settings are read again at every check (secret files can change). Any genuine problem (missing,
/// placeholder, malformed) is thrown at once, listing every problem.
/// </summary>
public static class SettingsGate
{
    /// <returns>The loaded settings, or null when <paramref name="stop"/> was cancelled while waiting.</returns>
    public static async Task<T?> LoadAsync<T>(Func<T> load, Func<string, string?> variable, Action<string> waiting, CancellationToken stop)
        where T : class
    {
        var interval = AppSettings.RecheckInterval(variable);
        while (true)
        {
            try
            {
                return load();
            }
            catch (InvalidSettingsException ex) when (ex.OnlyUnresolvedReferences)
            {
                waiting($"MicAi is waiting: {Describe(ex.Unresolved)}; next check in {interval.TotalSeconds:0} s");
                try { await Task.Delay(interval, stop); }
                catch (OperationCanceledException) { return null; }
            }
        }
    }

    public static string Describe(IReadOnlyList<string> names) =>
        $"settings not resolved yet: {string.Join(", ", names)} (Key Vault references the platform has not resolved; " +
        "check that the app's identity may read the vault's secrets)";
}
