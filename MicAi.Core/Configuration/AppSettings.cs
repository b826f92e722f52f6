[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Configuration.AppSettings.Keys))]

namespace MicAi.Core.Configuration;

/// <summary>
/// Settings of the whole process: which environment it is (prod enforces the required values), and the deprecated
/// Python settings that are set (logged once at start, never refused).
/// </summary>
public sealed record AppSettings(AppEnvironment Environment, TimeSpan SettingsRecheck, IReadOnlyList<string> Deprecations)
{
    public bool IsProd => Environment == AppEnvironment.Prod;

    public static class Keys
    {
        [Setting("dev", "`dev`, `test` or `prod` (prod enforces the required values)")]
        public const string AppEnv = "MICAI_APP_ENV";

        [Setting("30", "while a setting is still an unresolved `@Microsoft.KeyVault(...)` reference, the process names it, waits and checks again this often instead of exiting")]
        public const string SettingsRecheckSeconds = "MICAI_SETTINGS_RECHECK_SECONDS";
    }

    internal static AppSettings Read(SettingsReader r) => new(r.Environment, r.Seconds(Keys.SettingsRecheckSeconds, min: 1), r.Deprecations);

    /// <summary>How often to look again, read on its own: when settings are unresolved, nothing else loaded.</summary>
    public static TimeSpan RecheckInterval(Func<string, string?> variable) =>
        new SettingsReader(variable, SecretSource.Default).Seconds(Keys.SettingsRecheckSeconds, min: 1);
}
