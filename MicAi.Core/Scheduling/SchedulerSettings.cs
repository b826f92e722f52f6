using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Scheduling.SchedulerSettings.Keys))]

namespace MicAi.Core.Scheduling;

/// <summary>
/// How schedulers share the work (one holds a Redis lease at a time), and the time zone schedules and reminders run in
/// when they name none: Scheduling owns it, so its endpoints and the remind tool (Agents, above) read the same value.
/// </summary>
public sealed record SchedulerSettings(TimeSpan Lease, string DefaultTimeZone)
{
    public static class Keys
    {
        [Setting("15", "one active scheduler holds a Redis lease; a standby takes over after it expires")]
        public const string LeaseSeconds = "MICAI_SCHEDULER_LEASE_SECONDS";

        /// <summary>Read by the Functions host itself (<c>%MICAI_SCHEDULER_SCHEDULE%</c> in the timer trigger).</summary>
        [Setting(null, "Functions: NCRONTAB schedule of the `Scheduler` timer, read by the Functions host ([docs/functions.md](docs/functions.md))",
            Shown = "`*/15 * * * * *` (infra/)", Scope = SettingScope.FunctionsOnly)]
        public const string Schedule = "MICAI_SCHEDULER_SCHEDULE";

        [Setting("UTC", "time zone for reminders and schedules when the contact or schedule names none")]
        public const string DefaultTimeZone = "MICAI_DEFAULT_TIME_ZONE";
    }

    internal static SchedulerSettings Read(SettingsReader r) => new(
        Lease: r.Seconds(Keys.LeaseSeconds, min: 1),
        DefaultTimeZone: r.String(Keys.DefaultTimeZone) is var zone && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _) ? zone
            : r.Problem($"{Keys.DefaultTimeZone} is not a known time zone: '{zone}'", "UTC"));
}
