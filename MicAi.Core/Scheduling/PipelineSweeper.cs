using MicAi.Core.Queue;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace MicAi.Core.Scheduling;

/// <summary>
/// Postgres is the source of truth, Redis only transport: this pass finds work whose job was lost (Redis was down
/// or restarted empty, a crash between commit and enqueue) and enqueues it again, and gives up on sends whose
/// worker died during the Graph call by marking them 'unknown' (never re-sent; status webhooks reconcile them).
/// A row is swept at most once per two visibility timeouts (a short-lived Redis marker), so a backlog with no
/// worker running does not flood the stream. Extra jobs are harmless: every handler is idempotent.
/// </summary>
public sealed class PipelineSweeper(
    NpgsqlDataSource db, JobStream jobs, IConnectionMultiplexer redis, RedisKeys keys, QueueSettings settings,
    TimeProvider time, ILogger<PipelineSweeper> log)
{
    /// <summary>A retrying row waits in the delayed set up to the backoff cap; only after this much longer is its job taken as lost.</summary>
    public static readonly TimeSpan RetryingGrace = TimeSpan.FromMinutes(10);

    private const int Limit = 500;

    // Rows whose job died for good (a dead_jobs row not yet replayed) are left to the operator.
    private const string LostInbound = """
        SELECT wamid FROM inbound_messages i
        WHERE status IN ('received', 'queued') AND received_at < now() - $1
          AND NOT EXISTS (SELECT 1 FROM dead_jobs d WHERE d.job_type = 'inbound' AND d.payload->>'Key' = i.wamid AND d.replayed_at IS NULL)
        ORDER BY received_at LIMIT $3
        """;

    private const string LostOutbound = """
        SELECT idempotency_key FROM outbound_messages o
        WHERE ((status = 'pending' AND updated_at < now() - $1) OR (status = 'retrying' AND updated_at < now() - $2))
          AND NOT EXISTS (SELECT 1 FROM dead_jobs d WHERE d.job_type = 'send' AND d.payload->>'Key' = o.idempotency_key AND d.replayed_at IS NULL)
          AND NOT EXISTS (SELECT 1 FROM dead_jobs d WHERE d.job_type = 'inbound' AND 'reply:' || (d.payload->>'Key') = o.idempotency_key AND d.replayed_at IS NULL)
        ORDER BY updated_at LIMIT $3
        """;

    public async Task<(int Unknown, int Inbound, int Outbound)> RunAsync(CancellationToken ct)
    {
        var unknown = await MarkUnknownAsync(ct);
        var inbound = await EnqueueLostAsync(LostInbound, JobTypes.Inbound, ct);
        var outbound = await EnqueueLostAsync(LostOutbound, JobTypes.Send, ct);
        if (unknown > 0) SchedulingLog.MarkedUnknown(log, unknown);
        if (inbound + outbound > 0) SchedulingLog.Swept(log, inbound, outbound);
        return (unknown, inbound, outbound);
    }

    /// <summary>
    /// A row still 'sending' after the visibility timeout lost its worker during the Graph call: Meta may or may not
    /// have the message. Re-sending could double it, so the row becomes 'unknown' until a status webhook (matched by
    /// biz_opaque_callback_data) says sent, delivered, read or failed.
    /// </summary>
    private async Task<int> MarkUnknownAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE outbound_messages SET status = 'unknown', updated_at = now(),
                error_text = 'the worker stopped during the send; the outcome is known only from a status webhook'
            WHERE status = 'sending' AND updated_at < now() - $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = settings.VisibilityTimeout });
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<int> EnqueueLostAsync(string sql, string jobType, CancellationToken ct)
    {
        var found = new List<string>();
        await using (var cmd = db.CreateCommand(sql))
        {
            cmd.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = settings.VisibilityTimeout });
            cmd.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = RetryingGrace + settings.VisibilityTimeout });
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Limit });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) found.Add(r.GetString(0));
        }
        if (found.Count == 0) return 0;

        var db2 = redis.GetDatabase();
        var hold = settings.VisibilityTimeout * 2;
        var marks = await Task.WhenAll(found.Select(k => db2.StringSetAsync(keys.Swept(jobType, k), 1, hold, When.NotExists)));
        var now = time.GetUtcNow();
        var lost = found.Where((_, i) => marks[i]).Select(k => Job.New(jobType, k, now)).ToArray();
        await jobs.EnqueueAsync(lost);
        return lost.Length;
    }
}
