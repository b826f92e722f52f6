using MicAi.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
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
        rules.MapPost("/rules", CreateAsync).WithName("CreateRule")
            .WithSummary("Create a rule (keywords as a list or a comma-separated string); with the Python service's client id, create or replace that rule")
            .WithDescription("Without `id` the answer is the rule. With a client `id` (the Python service's shape) the rule of that id is " +
                             "created or replaced and the answer is `{\"status\": \"ok\", \"rule_id\": id}`. `agent_id` is MicAi's number or a " +
                             "Python agent id such as `default-agent` (an unknown one is created); `action: \"call_weather\"` is the weather tool.")
            .AddOpenApiOperationTransformer(BothAnswersAsync);
        rules.MapGet("/agents/{agent_id}/rules", ListByAgentAsync).WithName("ListAgentRules").WithSummary("List an agent's rules by priority");
        rules.MapGet("/rules/{rule_id}", GetAsync).WithName("GetRule").WithSummary("Get a rule");
        rules.MapPut("/rules/{rule_id}", UpdateAsync).WithName("UpdateRule").WithSummary("Replace a rule (agent_id absent: unchanged)");
        rules.MapDelete("/rules/{rule_id}", DeleteAsync).WithName("DeleteRule").WithSummary("Delete a rule");
        return admin;
    }

    private static async Task<Results<Ok<AgentRule>, Ok<RuleUpserted>, ValidationProblem>> CreateAsync(
        JsonBody<RuleInput> body, [FromServices] RuleStore rules, [FromServices] AgentStore agents, CancellationToken ct)
    {
        var input = body.Value;
        if (await agents.ResolveAsync(input.AgentOrDefault, ct) is not { } agentId)
            return Problems.FieldError("agent_id", $"agent {input.AgentOrDefault} does not exist");
        if (input.Id is not { } clientId)
        {
            if (await rules.CountByAgentAsync(agentId, ct) >= RuleInput.MaxRulesPerAgent) return TooManyRules(agentId);
            return TypedResults.Ok(await rules.InsertAsync(agentId, input, ct));
        }
        await rules.UpsertAsync(clientId, agentId, input, ct);
        return TypedResults.Ok(new RuleUpserted("ok", clientId));
    }

    /// <summary>The document shows both answers of CreateRule's 200 (the generator keeps one type per status).</summary>
    private static async Task BothAnswersAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (operation.Responses?.TryGetValue("200", out var ok) != true || ok!.Content?.TryGetValue("application/json", out var json) != true) return;
        // Registers both as components, then points at them (the schemas it returns are copies, not references).
        await context.GetOrCreateSchemaAsync(typeof(AgentRule), null, ct);
        await context.GetOrCreateSchemaAsync(typeof(RuleUpserted), null, ct);
        json!.Schema = new OpenApiSchema
        {
            OneOf = [new OpenApiSchemaReference(nameof(AgentRule), context.Document), new OpenApiSchemaReference(nameof(RuleUpserted), context.Document)],
        };
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
        var agent = body.Value.AgentId is null ? new AgentReference(existing.AgentId, null) : body.Value.AgentOrDefault;
        if (await agents.ResolveAsync(agent, ct) is not { } agentId) return Problems.FieldError("agent_id", $"agent {agent} does not exist");
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
