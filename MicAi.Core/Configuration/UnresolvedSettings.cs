using System.Globalization;

namespace MicAi.Core.Configuration;

/// <summary>
/// What a process says and how often it looks again while settings are unresolved Key Vault references
/// (<see cref="KeyVaultReference"/>). Names only: the reference text is not printed either.
/// </summary>
public static class UnresolvedSettings
{
    public static readonly TimeSpan DefaultRecheck = TimeSpan.FromSeconds(30);

    /// <summary>MICAI_SETTINGS_RECHECK_SECONDS (whole seconds ≥ 1), else 30 s; read on its own because the other settings did not load.</summary>
    public static TimeSpan RecheckInterval(Func<string, string?> variable) =>
        int.TryParse(variable(MicAiSettings.Keys.SettingsRecheckSeconds), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 1
            ? TimeSpan.FromSeconds(seconds)
            : DefaultRecheck;

    public static string Describe(IReadOnlyList<string> names) =>
        $"settings not resolved yet: {string.Join(", ", names)} (Key Vault references the platform has not resolved; " +
        "check that the app's identity may read the vault's secrets)";
}
