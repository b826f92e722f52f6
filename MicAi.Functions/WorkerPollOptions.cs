using System.ComponentModel.DataAnnotations;

namespace MicAi.Functions;

/// <summary>How long one WorkerPoll run keeps draining the queue (MICAI_WORKER_POLL_BUDGET_SECONDS).</summary>
public sealed class WorkerPollOptions
{
    public const string BudgetKey = "MICAI_WORKER_POLL_BUDGET_SECONDS";

    /// <summary>Below host.json's functionTimeout (5 min) with room for the batch in flight when it runs out.</summary>
    [Range(1, 240)]
    public int BudgetSeconds { get; set; } = 50;

    public TimeSpan Budget => TimeSpan.FromSeconds(BudgetSeconds);
}
