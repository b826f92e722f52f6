using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Core.Admin;

/// <param name="OldestAgeSeconds">how long the oldest job still in the stream has waited; null when it is empty</param>
public sealed record QueueStats(long Length, long Pending, long Delayed, double? OldestAgeSeconds = null);

/// <summary>The pipeline at a glance: the queue, rows per status, dead jobs, the kill switch, the processes' heartbeats.</summary>
public sealed record AdminStats(
    QueueStats Queue,
    Dictionary<string, long> Inbound,
    Dictionary<string, long> Outbound,
    long DeadJobs,
    bool OutboundEnvEnabled,
    bool OutboundEffective,
    bool OutboundPaused,
    PipelineStats? Pipeline = null,
    Dictionary<string, long>? OutboundLastHour = null,
    string? OutboundPauseReason = null);

/// <summary>{admin}/stats, kept from the Python service (with more in it).</summary>
public static class StatsEndpoint
{
    public static void MapStats(this IEndpointRouteBuilder admin) =>
        admin.MapGet("/stats", GetAsync).WithName("Stats").WithSummary("Queue length and oldest job, rows per status, sends in the last hour, dead jobs, kill switch, heartbeats");

    /// <summary>
    /// Each figure is its own read, and they run side by side: the two row counts scan their tables, and one after the
    /// other they made the dashboard's poll wait for both (bench: console, dashboard).
    /// </summary>
    private static async Task<Ok<AdminStats>> GetAsync(
        [FromServices] JobStream jobs, [FromServices] DelayedJobs delayed, [FromServices] InboundStore inbound, [FromServices] OutboundLedger ledger,
        [FromServices] DeadJobStore deadJobs, [FromServices] OutboundSwitch outbound, [FromServices] Heartbeats heartbeats, [FromServices] TimeProvider time,
        CancellationToken ct)
    {
        var inboundCounts = inbound.CountByStatusAsync(ct);
        var outboundCounts = ledger.CountByStatusAsync(time.GetUtcNow().AddHours(-1), ct);
        var dead = deadJobs.CountOpenAsync(ct);
        var counts = jobs.CountsAsync();
        var delayedCount = delayed.CountAsync();
        var oldest = jobs.OldestAgeSecondsAsync(time);
        var pipeline = heartbeats.ReadAsync();
        var state = outbound.StateAsync(ct);
        await Task.WhenAll(inboundCounts, outboundCounts, dead, counts, delayedCount, oldest, pipeline, state);

        var (length, pending) = await counts;
        var (all, recent) = await outboundCounts;
        var switchState = await state;
        return TypedResults.Ok(new AdminStats(
            new QueueStats(length, pending, await delayedCount, await oldest),
            await inboundCounts,
            all,
            await dead,
            switchState.OutboundEnvEnabled,
            switchState.OutboundEffective,
            switchState.OutboundPaused,
            await pipeline,
            recent,
            switchState.PauseReason));
    }
}
