using MicAi.Core.Agents.Llm;
using MicAi.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Core.Agents;

/// <summary>The body of POST {admin}/agents/{agent_id}/try: a message as a customer would write it.</summary>
public sealed record TryMessageInput : IValidatable
{
    public const int MaxLength = 4096;

    public string? Text { get; init; }

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Text)) errors["text"] = ["required"];
        else if (Text.Length > MaxLength) errors["text"] = [$"at most {MaxLength} characters"];
        return errors;
    }
}

/// <param name="Responder">who would answer: <c>rule</c>, <c>tool:&lt;name&gt;</c>, <c>llm</c>, <c>fallback</c>, <c>opt_out</c>, <c>opt_in</c>, or <c>ignored</c> (no invoke prefix)</param>
/// <param name="MatchedRuleId">the rule that matched, if any</param>
/// <param name="Reply">the reply it would give; null for a tool (tools act, so they run only for a real message) and when ignored</param>
/// <param name="Note">why there is no reply, or what a real message would do differently</param>
public sealed record TryMessageResult(string Responder, long? MatchedRuleId, string? Reply, string? Note);

/// <summary>
/// {admin}/agents/{agent_id}/try: the decision the worker makes for a message to this agent (invoke-prefix gate,
/// STOP/START, then rule → tool → LLM → fallback, the same code), shown and not carried out: nothing is stored,
/// queued or sent, no reminder is created, no LLM allowance is taken.
/// </summary>
public static class AgentTryEndpoint
{
    public static RouteGroupBuilder MapAgentTry(this RouteGroupBuilder agents)
    {
        agents.MapPost("/{agent_id}/try", TryAsync).WithName("TryAgentMessage")
            .WithSummary("Show who would answer a message and with what reply, without sending or storing anything");
        return agents;
    }

    private static async Task<Results<Ok<TryMessageResult>, NotFoundProblem>> TryAsync(
        [FromRoute(Name = "agent_id")] string agentId, JsonBody<TryMessageInput> body, [FromServices] AgentStore agents,
        [FromServices] RuleStore rules, [FromServices] InvokePrefixGate gate, [FromServices] OptOutKeywords optOut,
        [FromServices] Responder responder, [FromServices] LlmResponder llm, CancellationToken ct)
    {
        if (!RouteId.TryParse(agentId, "agent", out var id, out var notFound)) return notFound;
        if (await agents.GetAsync(id, ct) is not { } agent) return RouteId.Missing("agent", id);
        var text = body.Value.Text!;

        if (optOut.Confirmation(optOut.Detect(text)) is { } confirmation)
            return TypedResults.Ok(new TryMessageResult(confirmation.Responder, null, confirmation.Text,
                "a real message would also change the contact's opt-out state"));
        if (gate.Admit(text) is not { } admitted)
            return TypedResults.Ok(new TryMessageResult("ignored", null, null, "not addressed to the bot: it lacks the invoke prefix (MICAI_REQUIRE_INVOKE_PREFIX)"));

        var profile = new AgentProfile(agent.Id, agent.Name, agent.Persona, agent.FallbackReply, agent.LlmEnabled, agent.AllowedTools,
            await rules.LoadCompiledAsync(id, ct));
        var plan = responder.Plan(profile, null, admitted);
        if (plan.Reply is { } reply) return TypedResults.Ok(new TryMessageResult(reply.Responder, reply.MatchedRuleId, reply.Text, null));
        if (plan.Tool is { } tool)
            return TypedResults.Ok(new TryMessageResult("tool:" + tool.Name, plan.RuleId, null,
                $"the {tool.Name} tool would answer; tools act (a reminder is stored, a forecast fetched), so they run only for a real message"));
        return await llm.PreviewAsync(profile, admitted, ct) is { } answer
            ? TypedResults.Ok(new TryMessageResult("llm", null, answer, "asked without the contact's history and outside the daily allowance"))
            : TypedResults.Ok(new TryMessageResult(plan.Fallback.Responder, plan.Fallback.MatchedRuleId, plan.Fallback.Text, "the model did not answer, so the fallback reply"));
    }
}
