using MicAi.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Core.Agents;

/// <summary>{admin}/agents: list, create, read, replace (idempotent PUT) and delete agents.</summary>
public static class AgentEndpoints
{
    public static readonly ApiTag Tag = new("agents",
        "Agents: persona, fallback reply, allowed tools, LLM on or off. A contact talks to the agent it is bound to, else to the default agent.");

    public static RouteGroupBuilder MapAgents(this RouteGroupBuilder admin)
    {
        var agents = admin.MapTagged("/agents", Tag);
        agents.MapGet("", ListAsync).WithName("ListAgents").WithSummary("List agents by id");
        agents.MapPost("", CreateAsync).WithName("CreateAgent").WithSummary("Create an agent");
        agents.MapGet("/{agent_id}", GetAsync).WithName("GetAgent").WithSummary("Get an agent");
        agents.MapPut("/{agent_id}", UpdateAsync).WithName("UpdateAgent").WithSummary("Replace an agent (absent fields take their defaults)");
        agents.MapDelete("/{agent_id}", DeleteAsync).WithName("DeleteAgent").WithSummary("Delete an agent; not the default agent");
        agents.MapAgentTry();
        return admin;
    }

    private static async Task<Ok<AgentPage>> ListAsync(Paging page, [FromServices] AgentStore agents, CancellationToken ct)
    {
        var items = await agents.ListAsync(page.Limit, page.Offset, ct);
        return TypedResults.Ok(new AgentPage([.. items], page.Limit, page.Offset, page.NextOffset(items.Count)));
    }

    private static async Task<Created<AgentView>> CreateAsync(JsonBody<AgentInput> body, [FromServices] AgentStore agents, CancellationToken ct)
    {
        var agent = await agents.InsertAsync(body.Value, ct);
        return TypedResults.Created($"/admin/agents/{agent.Id}", agent);
    }

    private static async Task<Results<Ok<AgentView>, NotFoundProblem>> GetAsync(
        [FromRoute(Name = "agent_id")] string agentId, [FromServices] AgentStore agents, CancellationToken ct)
    {
        if (!RouteId.TryParse(agentId, "agent", out var id, out var notFound)) return notFound;
        return await agents.GetAsync(id, ct) is { } agent ? TypedResults.Ok(agent) : RouteId.Missing("agent", id);
    }

    private static async Task<Results<Ok<AgentView>, NotFoundProblem>> UpdateAsync(
        [FromRoute(Name = "agent_id")] string agentId, JsonBody<AgentInput> body, [FromServices] AgentStore agents, CancellationToken ct)
    {
        if (!RouteId.TryParse(agentId, "agent", out var id, out var notFound)) return notFound;
        return await agents.UpdateAsync(id, body.Value, ct) is { } agent ? TypedResults.Ok(agent) : RouteId.Missing("agent", id);
    }

    private static async Task<Results<NoContent, NotFoundProblem, ConflictProblem>> DeleteAsync(
        [FromRoute(Name = "agent_id")] string agentId, [FromServices] AgentStore agents, CancellationToken ct)
    {
        if (!RouteId.TryParse(agentId, "agent", out var id, out var notFound)) return notFound;
        return await agents.DeleteAsync(id, ct) switch
        {
            true => TypedResults.NoContent(),
            false => new ConflictProblem("the default agent cannot be deleted (unbound contacts talk to it)"),
            null => RouteId.Missing("agent", id),
        };
    }
}
