using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Hosting.HostingSettings.Keys))]

namespace MicAi.Core.Hosting;

/// <summary>How a process runs MicAi, whichever adapter drives it: its port, migrations at start, shutdown grace.</summary>
public sealed record HostingSettings(int Port, bool? MigrateOnStart, TimeSpan ShutdownTimeout)
{
    public static class Keys
    {
        [Setting("api", "role when none is given on the command line (`api`, `worker`, `scheduler`, `all`, `migrate`)",
            Scope = SettingScope.HostOnly)]
        public const string Role = "MICAI_ROLE";

        [Setting("8000", "api listen port")]
        public const string Port = "PORT";

        [Setting(null, "migrate at process start (Host roles wait for Postgres); `false` leaves it to the release step (`migrate` role, azd predeploy hook)",
            Shown = "Host: `true`, Functions: `false`")]
        public const string MigrateOnStart = "MICAI_MIGRATE_ON_START";

        [Setting("25", "on SIGTERM a worker finishes in-flight jobs within this, then exits 0 (under Render's 30 s)")]
        public const string ShutdownTimeoutSeconds = "MICAI_SHUTDOWN_TIMEOUT_SECONDS";
    }

    internal static HostingSettings Read(SettingsReader r) => new(
        Port: r.Int(Keys.Port, min: 1),
        // Null leaves it to the adapter: every Host role migrates at start, a Functions instance does not (a cold
        // start on every instance is no place for it: the azd predeploy hook runs the migrate role).
        MigrateOnStart: r.OptionalBool(Keys.MigrateOnStart),
        ShutdownTimeout: r.Seconds(Keys.ShutdownTimeoutSeconds, min: 1));

    /// <summary>
    /// MICAI_ROLE, read before anything else (the role decides which host is built). The Host resolves it against
    /// its roles and the command line.
    /// </summary>
    public static string Role(Func<string, string?> variable) =>
        new SettingsReader(variable, SecretSource.Default).String(Keys.Role);
}
