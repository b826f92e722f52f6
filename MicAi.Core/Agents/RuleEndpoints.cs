using MicAi.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Core.Agents;

/// <summary>{admin}/rules and an agent's rules: create (as the Python service did), list, read, replace and delete.</summary>
public static class RuleEndpoints
{
    public static readonly ApiTag Tag = new("rules",
        "Keyword and prefix rules: an agent's fixed replies and tool calls, tried by priority before the LLM and the fallback.");

    public static RouteGroupBuilder MapRules(this RouteGroupBuilder admin)
    {
        var rules = admin.MapTagged("", Tag);
        rules.MapPost("/rules", CreateAsync).WithName("CreateRule").WithSummary("Create a rule (keywords as a list or a comma-separated string)");
        rules.MapGet("/agents/{agent_id}/rules", ListByAgentAsync).WithName("ListAgentRules").WithSummary("List an agent's rules by priority");
        rules.MapGet("/rules/{rule_id}", GetAsync).WithName("GetRule").WithSummary("Get a rule");
        rules.MapPut("/rules/{rule_id}", UpdateAsync).WithName("UpdateRule").WithSummary("Replace a rule (agent_id absent: unchanged)");
        rules.MapDelete("/rules/{rule_id}", DeleteAsync).WithName("DeleteRule").WithSummary("Delete a rule");
        return admin;
    }

    private static async Task<Results<Ok<AgentRule>, ValidationProblem>> CreateAsync(
        JsonBody<RuleInput> body, [FromServices] RuleStore rules, [FromServices] AgentStore agents, CancellationToken ct)
    {
        var input = body.Value;
        if (!await agents.ExistsAsync(input.AgentIdOrDefault, ct))
            return Problems.FieldError("agent_id", $"agent {input.AgentIdOrDefault} does not exist");
        if (await rules.CountByAgentAsync(input.AgentIdOrDefault, ct) >= RuleInput.MaxRulesPerAgent) return TooManyRules(input.AgentIdOrDefault);
        return TypedResults.Ok(await rules.InsertAsync(input, ct));
    }

    private static async Task<Results<Ok<AgentRule[]>, NotFoundProblem>> ListByAgentAsync(
        [FromRoute(Name = "agent_id")] string agentId, [FromServices] RuleStore rules, [FromServices] AgentStore agents, CancellationToken ct)
    {
        if (!RouteId.TryParse(agentId, "agent", out var id, out var notFound)) return notFound;
        if (!await agents.ExistsAsync(id, ct)) return RouteId.Missing("agent", id);
        return TypedResults.Ok((await rules.ListByAgentAsync(id, ct)).ToArray());
    }

    private static async Task<Results<Ok<AgentRule>, NotFoundProblem>> GetAsync(
        [FromRoute(Name = "rule_id")] string ruleId, [FromServices] RuleStore rules, CancellationToken ct)
    {
        if (!RouteId.TryParse(ruleId, "rule", out var id, out var notFound)) return notFound;
        return await rules.GetAsync(id, ct) is { } rule ? TypedResults.Ok(rule) : RouteId.Missing("rule", id);
    }

    private static async Task<Results<Ok<AgentRule>, NotFoundProblem, ValidationProblem>> UpdateAsync(
        [FromRoute(Name = "rule_id")] string ruleId, JsonBody<RuleInput> body, [FromServices] RuleStore rules, [FromServices] AgentStore agents,
        CancellationToken ct)
    {
        if (!RouteId.TryParse(ruleId, "rule", out var id, out var notFound)) return notFound;
        if (await rules.GetAsync(id, ct) is not { } existing) return RouteId.Missing("rule", id);
        var agentId = body.Value.AgentId ?? existing.AgentId;
        if (!await agents.ExistsAsync(agentId, ct)) return Problems.FieldError("agent_id", $"agent {agentId} does not exist");
        if (agentId != existing.AgentId && await rules.CountByAgentAsync(agentId, ct) >= RuleInput.MaxRulesPerAgent) return TooManyRules(agentId);
        return await rules.UpdateAsync(id, agentId, body.Value, ct) is { } rule ? TypedResults.Ok(rule) : RouteId.Missing("rule", id);
    }

    private static async Task<Results<NoContent, NotFoundProblem>> DeleteAsync(
        [FromRoute(Name = "rule_id")] string ruleId, [FromServices] RuleStore rules, CancellationToken ct)
    {
        if (!RouteId.TryParse(ruleId, "rule", out var id, out var notFound)) return notFound;
        return await rules.DeleteAsync(id, ct) ? TypedResults.NoContent() : RouteId.Missing("rule", id);
    }

    private static ValidationProblem TooManyRules(long agentId) =>
        Problems.FieldError("agent_id", $"agent {agentId} already has {RuleInput.MaxRulesPerAgent} rules, the limit: delete or merge some first");
}
