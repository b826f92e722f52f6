using MicAi.Core.Agents;
using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Admin;

/// <summary>/admin/schedules: CRUD; a disabled schedule is kept (and shows no upcoming occurrences).</summary>
public sealed class ScheduleHandlers(ScheduleAdminStore schedules, AdminStore admin, AgentSettings agents, TimeProvider time)
{
    public async Task<IResult> ListAsync(HttpContext c)
    {
        if (!AdminHttp.TryPaging(c, out var limit, out var offset, out var problem)) return problem!;
        var items = await schedules.ListAsync(AdminHttp.Query(c, "wa_id"), limit, offset, c.RequestAborted);
        return TypedResults.Json(new SchedulePage([.. items], limit, offset, AdminHttp.NextOffset(items.Count, limit, offset)), AdminJson.Default.SchedulePage);
    }

    public Task<IResult> GetAsync(HttpContext c) =>
        AdminHttp.GetByIdAsync(c, "schedule_id", "schedule", schedules.GetAsync, AdminJson.Default.ScheduleView);

    public async Task<IResult> CreateAsync(HttpContext c)
    {
        var (input, problem) = await ReadAsync(c);
        if (problem is not null) return problem;
        var zone = input!.Zone(agents.DefaultTimeZone);
        var created = await schedules.InsertAsync(input, zone, input.FirstRun(zone, time.GetUtcNow()), c.RequestAborted);
        c.Response.Headers.Location = $"/admin/schedules/{created.Id}";
        return TypedResults.Json(created, AdminJson.Default.ScheduleView, statusCode: 201);
    }

    public async Task<IResult> UpdateAsync(HttpContext c)
    {
        if (!AdminHttp.TryRouteId(c, "schedule_id", "schedule", out var id, out var notFound)) return notFound!;
        var (input, problem) = await ReadAsync(c);
        if (problem is not null) return problem;
        var zone = input!.Zone(agents.DefaultTimeZone);
        return await schedules.UpdateAsync(id, input, zone, input.FirstRun(zone, time.GetUtcNow()), c.RequestAborted) is { } s
            ? TypedResults.Json(s, AdminJson.Default.ScheduleView)
            : AdminHttp.NotFound($"schedule {id}");
    }

    public async Task<IResult> DeleteAsync(HttpContext c)
    {
        if (!AdminHttp.TryRouteId(c, "schedule_id", "schedule", out var id, out var problem)) return problem!;
        return await schedules.DeleteAsync(id, c.RequestAborted) ? TypedResults.NoContent() : AdminHttp.NotFound($"schedule {id}");
    }

    private async Task<(ScheduleInput? Input, IResult? Problem)> ReadAsync(HttpContext c)
    {
        var (input, problem) = await AdminHttp.ReadJsonAsync(c, AdminJson.Default.ScheduleInput);
        if (problem is not null) return (null, problem);
        if (input!.Validate() is { Count: > 0 } errors) return (null, TypedResults.ValidationProblem(errors));
        if (input.AgentId is { } agentId && !await admin.AgentExistsAsync(agentId, c.RequestAborted))
            return (null, AdminHttp.Invalid("agent_id", $"agent {agentId} does not exist"));
        return (input, null);
    }
}
