using System.Reflection;
using MicAi.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using StackExchange.Redis;

namespace MicAi.Core.Queue;

/// <summary>
/// {admin}/dead-jobs: list (newest first, keyset-paged with ?before=&amp;limit=), replay (re-enqueued with attempt 1,
/// after its handler reset what the job would send) and delete.
/// </summary>
public static class DeadJobEndpoints
{
    public static readonly ApiTag Tag = new("dead-jobs",
        "Jobs that failed for good (permanent errors, attempts used up): kept in Postgres until an operator replays or deletes them.");

    public static RouteGroupBuilder MapDeadJobs(this RouteGroupBuilder admin)
    {
        var deadJobs = admin.MapTagged("/dead-jobs", Tag);
        deadJobs.MapGet("", ListAsync).WithName("ListDeadJobs").WithSummary("List dead jobs, newest first");
        deadJobs.MapPost("/{id}/replay", ReplayAsync).WithName("ReplayDeadJob").WithSummary("Replay a dead job (once)");
        deadJobs.MapDelete("/{id}", DeleteAsync).WithName("DeleteDeadJob").WithSummary("Delete a dead job");
        return admin;
    }

    private static async Task<Ok<DeadJobPage>> ListAsync(DeadJobQuery query, [FromServices] DeadJobStore store, CancellationToken ct)
    {
        var items = await store.ListAsync(query.Before, query.Limit, ct);
        return TypedResults.Ok(new DeadJobPage(items, items.Count == query.Limit ? items[^1].Id : null));
    }

    private static async Task<Results<Accepted<DeadJobReplayed>, NotFoundProblem, ConflictProblem, UnavailableProblem>> ReplayAsync(
        [FromRoute(Name = "id")] string deadJobId, [FromServices] DeadJobStore store, [FromServices] JobStream jobs,
        [FromServices] IEnumerable<IJobHandler> handlers, [FromServices] TimeProvider time, CancellationToken ct)
    {
        if (!long.TryParse(deadJobId, out var id)) return NoSuchDeadJob;
        var job = await store.BeginReplayAsync(id, j => handlers.FirstOrDefault(h => h.Type == j.Type)?.PrepareReplay(j), ct);
        if (job is null)
            return await store.GetAsync(id, ct) is null ? NoSuchDeadJob : new ConflictProblem($"dead job {id} was already replayed");
        var replay = job with { Attempt = 1, EnqueuedAt = time.GetUtcNow() };
        try
        {
            await jobs.EnqueueAsync([replay]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            await store.AbortReplayAsync(id, CancellationToken.None);
            return new UnavailableProblem("queue unavailable, retry later");
        }
        return TypedResults.Accepted((string?)null, new DeadJobReplayed("replayed", id, replay.Id, replay.Type, replay.Key));
    }

    private static async Task<Results<NoContent, NotFoundProblem>> DeleteAsync(
        [FromRoute(Name = "id")] string deadJobId, [FromServices] DeadJobStore store, CancellationToken ct) =>
        long.TryParse(deadJobId, out var id) && await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : NoSuchDeadJob;

    private static NotFoundProblem NoSuchDeadJob => new("no such dead job");
}

public sealed record DeadJobPage(IReadOnlyList<DeadJob> Items, long? NextBefore);

public sealed record DeadJobReplayed(string Status, long Id, string JobId, string JobType, string Key);

/// <summary>?limit= (1–500, default 50) and ?before= (a dead job id: the page after it) on the dead-job list.</summary>
public sealed class DeadJobQuery : QueryInput, IBindableFromHttpContext<DeadJobQuery>, IEndpointParameterMetadataProvider
{
    public const int DefaultPage = 50, MaxPage = 500;

    private DeadJobQuery(IQueryCollection query) : base(query)
    {
        // Present but empty is a mistake here, not the default.
        Limit = !query.TryGetValue("limit", out var raw) ? DefaultPage
            : int.TryParse(raw, out var limit) && limit is >= 1 and <= MaxPage ? limit : Error("limit", $"a number from 1 to {MaxPage}", DefaultPage);
        if (query.TryGetValue("before", out var before))
            Before = long.TryParse(before, out var id) ? id : Error<long?>("before", "must be a dead job id", null);
    }

    public int Limit { get; }

    public long? Before { get; }

    public static ValueTask<DeadJobQuery?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<DeadJobQuery?>(new(context.Request.Query));

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => Declare(builder,
        new("limit", typeof(int), $"items per page, 1 to {MaxPage} (default {DefaultPage})", 1, MaxPage),
        new("before", typeof(long), "the next_before of the previous page: only older dead jobs"));
}
