using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Queue.WorkerSettings.Keys))]

namespace MicAi.Core.Queue;

/// <summary>How a worker runs jobs: how many at once, and how long one timer-driven pass may drain (Functions).</summary>
public sealed record WorkerSettings(int Concurrency, TimeSpan PassBudget, string? InstanceId)
{
    public static class Keys
    {
        [Setting("64", "jobs each of a worker's four batches runs at once")]
        public const string Concurrency = "MICAI_WORKER_CONCURRENCY";

        [Setting("50", "Functions: how long one `WorkerPoll` run may keep draining (1–240 s; [docs/functions.md](docs/functions.md))",
            Scope = SettingScope.FunctionsOnly)]
        public const string PollBudgetSeconds = "MICAI_WORKER_POLL_BUDGET_SECONDS";

        /// <summary>Read by the Functions host itself (<c>%MICAI_WORKER_POLL_SCHEDULE%</c> in the timer trigger).</summary>
        [Setting(null, "Functions: NCRONTAB schedule of the `WorkerPoll` timer, read by the Functions host ([docs/functions.md](docs/functions.md))",
            Shown = "`*/5 * * * * *` (infra/)", Scope = SettingScope.FunctionsOnly)]
        public const string PollSchedule = "MICAI_WORKER_POLL_SCHEDULE";

        [Setting(null, "names a Functions instance as a queue consumer, so each scaled-out instance owns its pending jobs; else host name and pid",
            SetByPlatform = true, Scope = SettingScope.FunctionsOnly)]
        public const string InstanceId = "WEBSITE_INSTANCE_ID";
    }

    /// <summary>Below host.json's functionTimeout (5 min) with room for the batch in flight when it runs out.</summary>
    private const int MaxPassBudgetSeconds = 240;

    internal static WorkerSettings Read(SettingsReader r) => new(
        Concurrency: r.Int(Keys.Concurrency, min: 1),
        PassBudget: r.Seconds(Keys.PollBudgetSeconds, min: 1, max: MaxPassBudgetSeconds),
        InstanceId: r.OptionalString(Keys.InstanceId));
}
