using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Admin;

/// <summary>Rules by agent, one rule, replace (idempotent PUT; agent_id absent = unchanged) and delete.</summary>
public sealed class RuleHandlers(RuleStore rules, AdminStore admin)
{
    public async Task<IResult> ListByAgentAsync(HttpContext c)
    {
        if (!AdminHttp.TryRouteId(c, "agent_id", "agent", out var agentId, out var problem)) return problem!;
        if (!await admin.AgentExistsAsync(agentId, c.RequestAborted)) return AdminHttp.NotFound($"agent {agentId}");
        return TypedResults.Json([.. await rules.ListByAgentAsync(agentId, c.RequestAborted)], AdminJson.Default.AgentRuleArray);
    }

    public Task<IResult> GetAsync(HttpContext c) =>
        AdminHttp.GetByIdAsync(c, "rule_id", "rule", rules.GetAsync, AdminJson.Default.AgentRule);

    public async Task<IResult> UpdateAsync(HttpContext c)
    {
        var ct = c.RequestAborted;
        if (!AdminHttp.TryRouteId(c, "rule_id", "rule", out var id, out var notFound)) return notFound!;
        var (input, problem) = await AdminHttp.ReadJsonAsync(c, AdminJson.Default.RuleInput);
        if (problem is not null) return problem;
        if (input!.Validate() is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        if (await rules.GetAsync(id, ct) is not { } existing) return AdminHttp.NotFound($"rule {id}");
        var agentId = input.AgentId ?? existing.AgentId;
        if (!await admin.AgentExistsAsync(agentId, ct)) return AdminHttp.Invalid("agent_id", $"agent {agentId} does not exist");
        return await rules.UpdateAsync(id, agentId, input, ct) is { } rule
            ? TypedResults.Json(rule, AdminJson.Default.AgentRule)
            : AdminHttp.NotFound($"rule {id}");
    }

    public async Task<IResult> DeleteAsync(HttpContext c)
    {
        if (!AdminHttp.TryRouteId(c, "rule_id", "rule", out var id, out var problem)) return problem!;
        return await rules.DeleteAsync(id, c.RequestAborted) ? TypedResults.NoContent() : AdminHttp.NotFound($"rule {id}");
    }
}
