using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Core.Admin;

public sealed record QueueStats(long Length, long Pending, long Delayed);

/// <summary>The pipeline at a glance: the queue, rows per status, dead jobs, the kill switch, the processes' heartbeats.</summary>
public sealed record AdminStats(
    QueueStats Queue,
    Dictionary<string, long> Inbound,
    Dictionary<string, long> Outbound,
    long DeadJobs,
    bool OutboundEnvEnabled,
    bool OutboundEffective,
    bool OutboundPaused,
    PipelineStats? Pipeline = null);

/// <summary>{admin}/stats, kept from the Python service (with more in it).</summary>
public static class StatsEndpoint
{
    public static void MapStats(this IEndpointRouteBuilder admin) =>
        admin.MapGet("/stats", GetAsync).WithName("Stats").WithSummary("Queue length, rows per status, dead jobs, kill switch, heartbeats");

    private static async Task<Ok<AdminStats>> GetAsync(
        [FromServices] JobStream jobs, [FromServices] DelayedJobs delayed, [FromServices] InboundStore inbound, [FromServices] OutboundLedger ledger,
        [FromServices] DeadJobStore deadJobs, [FromServices] OutboundSwitch outbound, [FromServices] Heartbeats heartbeats, CancellationToken ct)
    {
        var (length, pending) = await jobs.CountsAsync();
        var state = await outbound.StateAsync(ct);
        return TypedResults.Ok(new AdminStats(
            new QueueStats(length, pending, await delayed.CountAsync()),
            await inbound.CountByStatusAsync(ct),
            await ledger.CountByStatusAsync(ct),
            await deadJobs.CountOpenAsync(ct),
            state.OutboundEnvEnabled,
            state.OutboundEffective,
            state.OutboundPaused,
            await heartbeats.ReadAsync()));
    }
}
