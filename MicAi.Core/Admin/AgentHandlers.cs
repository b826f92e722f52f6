using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Admin;

/// <summary>/admin/agents: create, read, replace (idempotent PUT) and delete agents.</summary>
public sealed class AgentHandlers(AgentStore store)
{
    public async Task<IResult> ListAsync(HttpContext c)
    {
        if (!AdminHttp.TryPaging(c, out var limit, out var offset, out var problem)) return problem!;
        var items = await store.ListAsync(limit, offset, c.RequestAborted);
        return TypedResults.Json(new AgentPage([.. items], limit, offset, AdminHttp.NextOffset(items.Count, limit, offset)), AdminJson.Default.AgentPage);
    }

    public Task<IResult> GetAsync(HttpContext c) =>
        AdminHttp.GetByIdAsync(c, "agent_id", "agent", store.GetAsync, AdminJson.Default.AgentView);

    public async Task<IResult> CreateAsync(HttpContext c)
    {
        var (input, problem) = await AdminHttp.ReadJsonAsync(c, AdminJson.Default.AgentInput);
        if (problem is not null) return problem;
        if (input!.Validate() is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var agent = await store.InsertAsync(input, c.RequestAborted);
        c.Response.Headers.Location = $"/admin/agents/{agent.Id}";
        return TypedResults.Json(agent, AdminJson.Default.AgentView, statusCode: 201);
    }

    public async Task<IResult> UpdateAsync(HttpContext c)
    {
        if (!AdminHttp.TryRouteId(c, "agent_id", "agent", out var id, out var notFound)) return notFound!;
        var (input, problem) = await AdminHttp.ReadJsonAsync(c, AdminJson.Default.AgentInput);
        if (problem is not null) return problem;
        if (input!.Validate() is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        return await store.UpdateAsync(id, input, c.RequestAborted) is { } agent
            ? TypedResults.Json(agent, AdminJson.Default.AgentView)
            : AdminHttp.NotFound($"agent {id}");
    }

    public async Task<IResult> DeleteAsync(HttpContext c)
    {
        if (!AdminHttp.TryRouteId(c, "agent_id", "agent", out var id, out var problem)) return problem!;
        return await store.DeleteAsync(id, c.RequestAborted) switch
        {
            true => TypedResults.NoContent(),
            false => TypedResults.Problem("the default agent cannot be deleted (unbound contacts talk to it)", statusCode: 409),
            null => AdminHttp.NotFound($"agent {id}"),
        };
    }
}
