using System.Text.Json;
using System.Text.Json.Serialization;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MicAi.Core.Admin;

/// <summary>
/// GET /admin/dead-jobs (newest first, keyset-paged with ?before=&amp;limit=), POST /admin/dead-jobs/{id}/replay
/// (re-enqueue with attempt 1; the outbound row it concerns goes from failed/retrying back to pending first) and
/// DELETE /admin/dead-jobs/{id}.
/// </summary>
public sealed class DeadJobHandlers(DeadJobStore store, JobStream jobs, TimeProvider time)
{
    private const int DefaultPage = 50, MaxPage = 500;

    /// <summary>Route-table adapter: the table hands out AdminHandlers, these handlers live beside them.</summary>
    public static DeadJobHandlers From(HttpContext context) => context.RequestServices.GetRequiredService<DeadJobHandlers>();

    public async Task<IResult> ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var limit = DefaultPage;
        long? before = null;
        if (query.TryGetValue("limit", out var l) && (!int.TryParse(l, out limit) || limit is < 1 or > MaxPage))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"a number from 1 to {MaxPage}"] });
        if (query.TryGetValue("before", out var b))
        {
            if (!long.TryParse(b, out var id)) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["before"] = ["must be a dead job id"] });
            before = id;
        }
        var items = await store.ListAsync(before, limit, context.RequestAborted);
        var next = items.Count == limit ? items[^1].Id : (long?)null;
        return TypedResults.Json(new DeadJobPage(items, next), DeadJobJson.Default.DeadJobPage);
    }

    public async Task<IResult> ReplayAsync(HttpContext context)
    {
        if (RouteId(context) is not { } id) return NotFound();
        var ct = context.RequestAborted;
        var job = await store.BeginReplayAsync(id, OutboundKey, ct);
        if (job is null)
        {
            return await store.GetAsync(id, ct) is null
                ? NotFound()
                : TypedResults.Problem($"dead job {id} was already replayed", statusCode: 409);
        }
        var replay = job with { Attempt = 1, EnqueuedAt = time.GetUtcNow() };
        try
        {
            await jobs.EnqueueAsync([replay]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            await store.AbortReplayAsync(id, CancellationToken.None);
            return TypedResults.Problem("queue unavailable, retry later", statusCode: 503);
        }
        return TypedResults.Json(new DeadJobReplayed("replayed", id, replay.Id, replay.Type, replay.Key),
            DeadJobJson.Default.DeadJobReplayed, statusCode: StatusCodes.Status202Accepted);
    }

    public async Task<IResult> DeleteAsync(HttpContext context)
    {
        if (RouteId(context) is not { } id || !await store.DeleteAsync(id, context.RequestAborted)) return NotFound();
        return TypedResults.NoContent();
    }

    /// <summary>The ledger row a job would send: its own key for a send job, the reply row for an inbound job.</summary>
    private static string? OutboundKey(Job job) => job.Type switch
    {
        JobTypes.Send => job.Key,
        JobTypes.Inbound => OutboundDraft.ReplyKey(job.Key),
        _ => null,
    };

    private static long? RouteId(HttpContext context) => long.TryParse(context.Request.RouteValues["id"] as string, out var id) ? id : null;

    private static IResult NotFound() => TypedResults.Problem("no such dead job", statusCode: 404);
}

public sealed record DeadJobPage(IReadOnlyList<DeadJob> Items, long? NextBefore);

public sealed record DeadJobReplayed(string Status, long Id, string JobId, string JobType, string Key);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DeadJobPage))]
[JsonSerializable(typeof(DeadJobReplayed))]
public sealed partial class DeadJobJson : JsonSerializerContext;
