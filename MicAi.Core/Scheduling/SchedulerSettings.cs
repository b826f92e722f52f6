using MicAi.Core.Configuration;

namespace MicAi.Core.Scheduling;

/// <summary>How schedulers share the work: one holds a Redis lease at a time.</summary>
public sealed record SchedulerSettings(TimeSpan Lease)
{
    public static class Keys
    {
        [Setting("15", "one active scheduler holds a Redis lease; a standby takes over after it expires")]
        public const string LeaseSeconds = "MICAI_SCHEDULER_LEASE_SECONDS";

        /// <summary>Read by the Functions host itself (<c>%MICAI_SCHEDULER_SCHEDULE%</c> in the timer trigger).</summary>
        [Setting(null, "Functions: NCRONTAB schedule of the `Scheduler` timer, read by the Functions host ([docs/functions.md](docs/functions.md))",
            Shown = "`*/15 * * * * *` (infra/)", Scope = SettingScope.FunctionsOnly)]
        public const string Schedule = "MICAI_SCHEDULER_SCHEDULE";
    }

    internal static SchedulerSettings Read(SettingsReader r) => new(r.Seconds(Keys.LeaseSeconds, min: 1));
}
