using Npgsql;

namespace MicAi.Core.Queue;

/// <summary>Handles one job type. Must be idempotent: a job can run more than once (at-least-once delivery).</summary>
public interface IJobHandler
{
    string Type { get; }
    Task HandleAsync(Job job, CancellationToken ct);

    /// <summary>
    /// What to reset before a dead job of this type runs again (an operator's replay), as a statement the replay's
    /// transaction runs; null for nothing. The queue knows dead jobs, only the handler knows what its job did.
    /// </summary>
    NpgsqlBatchCommand? PrepareReplay(Job job) => null;
}

/// <summary>A failure that retrying cannot fix: the job goes straight to dead_jobs.</summary>
public sealed class PermanentJobException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A retryable failure that knows how long to wait at least (Retry-After, pair rate limit).</summary>
public sealed class RetryLaterException(string message, TimeSpan after, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan After { get; } = after;
}
