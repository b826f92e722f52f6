using MicAi.Core.Http;
using MicAi.Core.Queue;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Scheduling;

/// <summary>{admin}/schedules: list, create, read, replace and delete; a disabled schedule is kept (and shows no upcoming occurrences).</summary>
public static class ScheduleEndpoints
{
    public static readonly ApiTag Tag = new("schedules",
        "Recurring (cron or interval) and one-off messages to a contact, in a time zone; reminders the remind tool set are listed too.");

    public static RouteGroupBuilder MapSchedules(this RouteGroupBuilder admin)
    {
        var schedules = admin.MapTagged("/schedules", Tag);
        schedules.MapGet("", ListAsync).WithName("ListSchedules").WithSummary("List schedules by id");
        schedules.MapPost("", CreateAsync).WithName("CreateSchedule").WithSummary("Create a schedule");
        schedules.MapGet("/{schedule_id}", GetAsync).WithName("GetSchedule").WithSummary("Get a schedule with its next occurrences");
        schedules.MapPut("/{schedule_id}", UpdateAsync).WithName("UpdateSchedule").WithSummary("Replace a schedule (its next run is computed again)");
        schedules.MapDelete("/{schedule_id}", DeleteAsync).WithName("DeleteSchedule").WithSummary("Delete a schedule");
        schedules.MapPost("/{schedule_id}/run", RunAsync).WithName("RunSchedule")
            .WithSummary("Send a schedule's message now (an extra occurrence; the next run stays as it was)");
        return admin;
    }

    private static async Task<Ok<SchedulePage>> ListAsync(
        Paging page, [FromQuery(Name = "wa_id")] string? waId, [FromServices] ScheduleStore schedules, CancellationToken ct)
    {
        var items = await schedules.ListAsync(string.IsNullOrEmpty(waId) ? null : waId, page.Limit, page.Offset, ct);
        return TypedResults.Ok(new SchedulePage([.. items], page.Limit, page.Offset, page.NextOffset(items.Count)));
    }

    private static async Task<Results<Created<ScheduleView>, ValidationProblem>> CreateAsync(
        JsonBody<ScheduleInput> body, [FromServices] ScheduleStore schedules, [FromServices] SchedulerSettings settings, [FromServices] TimeProvider time,
        CancellationToken ct)
    {
        var input = body.Value;
        if (await schedules.CountForContactAsync(input.WaId!, ct) >= ScheduleInput.MaxPerContact)
            return Problems.FieldError("wa_id", $"contact {input.WaId} already has {ScheduleInput.MaxPerContact} schedules, the limit: delete one first");
        var zone = input.Zone(settings.DefaultTimeZone);
        var saved = await schedules.InsertAsync(input, zone, input.FirstRun(zone, time.GetUtcNow()), ct);
        if (saved.UnknownAgent) return UnknownAgent(input);
        return TypedResults.Created($"/admin/schedules/{saved.Schedule!.Id}", saved.Schedule);
    }

    private static async Task<Results<Ok<ScheduleView>, NotFoundProblem>> GetAsync(
        [FromRoute(Name = "schedule_id")] string scheduleId, [FromServices] ScheduleStore schedules, CancellationToken ct)
    {
        if (!RouteId.TryParse(scheduleId, "schedule", out var id, out var notFound)) return notFound;
        return await schedules.GetAsync(id, ct) is { } schedule ? TypedResults.Ok(schedule) : RouteId.Missing("schedule", id);
    }

    private static async Task<Results<Ok<ScheduleView>, NotFoundProblem, ValidationProblem>> UpdateAsync(
        [FromRoute(Name = "schedule_id")] string scheduleId, JsonBody<ScheduleInput> body, [FromServices] ScheduleStore schedules,
        [FromServices] SchedulerSettings settings, [FromServices] TimeProvider time, CancellationToken ct)
    {
        if (!RouteId.TryParse(scheduleId, "schedule", out var id, out var notFound)) return notFound;
        var input = body.Value;
        var zone = input.Zone(settings.DefaultTimeZone);
        var saved = await schedules.UpdateAsync(id, input, zone, input.FirstRun(zone, time.GetUtcNow()), ct);
        if (saved.UnknownAgent) return UnknownAgent(input);
        return saved.Schedule is { } schedule ? TypedResults.Ok(schedule) : RouteId.Missing("schedule", id);
    }

    private static async Task<Results<NoContent, NotFoundProblem>> DeleteAsync(
        [FromRoute(Name = "schedule_id")] string scheduleId, [FromServices] ScheduleStore schedules, CancellationToken ct)
    {
        if (!RouteId.TryParse(scheduleId, "schedule", out var id, out var notFound)) return notFound;
        return await schedules.DeleteAsync(id, ct) ? TypedResults.NoContent() : RouteId.Missing("schedule", id);
    }

    private static async Task<Results<Accepted<ScheduleRun>, NotFoundProblem>> RunAsync(
        [FromRoute(Name = "schedule_id")] string scheduleId, [FromServices] ScheduleStore schedules, [FromServices] JobStream jobs,
        [FromServices] TimeProvider time, [FromServices] ILogger<ScheduleStore> log, CancellationToken ct)
    {
        if (!RouteId.TryParse(scheduleId, "schedule", out var id, out var notFound)) return notFound;
        if (await schedules.RunNowAsync(id, time.GetUtcNow(), ct) is not { } run) return RouteId.Missing("schedule", id);
        try
        {
            await jobs.EnqueueAsync([Job.New(JobTypes.Send, run.IdempotencyKey, run.Occurrence)]);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            SchedulingLog.RunEnqueueDeferred(log, run.IdempotencyKey, ex); // committed 'pending': the sweeper enqueues it later
        }
        return TypedResults.Accepted($"/admin/schedules/{id}", run);
    }

    private static ValidationProblem UnknownAgent(ScheduleInput input) => Problems.FieldError("agent_id", $"agent {input.AgentId} does not exist");
}
