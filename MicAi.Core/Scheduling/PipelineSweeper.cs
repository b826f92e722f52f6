using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MicAi.Core.Scheduling;

/// <summary>
/// Postgres is the source of truth, Redis only transport: this pass finds work whose job was lost (Redis was down
/// or restarted empty, a crash between commit and enqueue) and enqueues it again, and gives up on sends whose
/// worker died during the Graph call by marking them 'unknown' (never re-sent; status webhooks reconcile them).
/// A row is swept at most once per two visibility timeouts (a short-lived Redis marker), so a backlog with no
/// worker running does not flood the stream. Extra jobs are harmless: every handler is idempotent. The questions are
/// asked of each table's store (InboundStore, OutboundLedger).
/// </summary>
public sealed class PipelineSweeper(
    InboundStore inbound, OutboundLedger ledger, JobStream jobs, IConnectionMultiplexer redis, RedisKeys keys, QueueSettings settings,
    TimeProvider time, ILogger<PipelineSweeper> log)
{
    /// <summary>A retrying row waits in the delayed set up to the backoff cap; only after this much longer is its job taken as lost.</summary>
    public static readonly TimeSpan RetryingGrace = TimeSpan.FromMinutes(10);

    private const int Limit = 500;

    public async Task<(int Unknown, int Inbound, int Outbound)> RunAsync(CancellationToken ct)
    {
        var visibility = settings.VisibilityTimeout;
        // A send still 'sending' after the visibility timeout lost its worker mid-call: 'unknown', never re-sent.
        var unknown = await ledger.MarkAbandonedSendsUnknownAsync(visibility, ct);
        var lostInbound = await EnqueueLostAsync(JobTypes.Inbound, await inbound.FindUnansweredAsync(visibility, JobTypes.Inbound, Limit, ct));
        var lostOutbound = await EnqueueLostAsync(JobTypes.Send,
            await ledger.FindLostAsync(visibility, RetryingGrace + visibility, JobTypes.Send, JobTypes.Inbound, Limit, ct));
        if (unknown > 0) SchedulingLog.MarkedUnknown(log, unknown);
        if (lostInbound + lostOutbound > 0) SchedulingLog.Swept(log, lostInbound, lostOutbound);
        return (unknown, lostInbound, lostOutbound);
    }

    private async Task<int> EnqueueLostAsync(string jobType, List<string> found)
    {
        if (found.Count == 0) return 0;
        var db = redis.GetDatabase();
        var hold = settings.VisibilityTimeout * 2;
        var marks = await Task.WhenAll(found.Select(k => db.StringSetAsync(keys.Swept(jobType, k), 1, hold, When.NotExists)));
        var now = time.GetUtcNow();
        var lost = found.Where((_, i) => marks[i]).Select(k => Job.New(jobType, k, now)).ToArray();
        await jobs.EnqueueAsync(lost);
        return lost.Length;
    }
}
