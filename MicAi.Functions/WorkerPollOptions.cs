using System.ComponentModel.DataAnnotations;

namespace MicAi.Functions;

/// <summary>How long one WorkerPoll run keeps draining the queue (MICAI_WORKER_POLL_BUDGET_SECONDS).</summary>
public sealed class WorkerPollOptions
{
    public const string BudgetKey = "MICAI_WORKER_POLL_BUDGET_SECONDS";

    /// <summary>Below host.json's functionTimeout (5 min) with room for the batch in flight when it runs out.</summary>
    [Range(1, 240, ErrorMessage = BudgetKey + " must be a whole number of seconds from 1 to 240")]
    public int BudgetSeconds { get; set; } = 50;

    /// <summary>Unset keeps the default; anything unparsable fails validation at start instead of being ignored.</summary>
    public void Read(string? raw)
    {
        if (!string.IsNullOrWhiteSpace(raw)) BudgetSeconds = int.TryParse(raw, out var seconds) ? seconds : 0;
    }

    public TimeSpan Budget => TimeSpan.FromSeconds(BudgetSeconds);
}
