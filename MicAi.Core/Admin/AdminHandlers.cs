using System.Text.Json;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Admin;

/// <summary>The admin operations. Errors are ProblemDetails: 400 with field errors, 404 for unknown ids.</summary>
public sealed class AdminHandlers(AdminStore store, RuleStore rules, JobStream jobs, DelayedJobs delayed, OutboundSwitch outbound)
{
    public async Task<IResult> CreateRuleAsync(HttpContext context)
    {
        var (input, problem) = await AdminHttp.ReadJsonAsync(context, AdminJson.Default.RuleInput);
        if (problem is not null) return problem;
        var errors = input!.Validate();
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!await store.AgentExistsAsync(input.AgentIdOrDefault, context.RequestAborted))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agent_id"] = [$"agent {input.AgentIdOrDefault} does not exist"] });
        var rule = await rules.InsertAsync(input, context.RequestAborted);
        return TypedResults.Json(rule, AdminJson.Default.AgentRule);
    }

    public async Task<IResult> BindAsync(HttpContext context)
    {
        var waId = context.Request.RouteValues["wa_id"] as string;
        if (string.IsNullOrWhiteSpace(waId))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["wa_id"] = ["required"] });
        if (!long.TryParse(context.Request.RouteValues["agent_id"] as string, out var agentId))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agent_id"] = ["must be a number"] });
        if (!await store.AgentExistsAsync(agentId, context.RequestAborted))
            return TypedResults.Problem($"agent {agentId} does not exist", statusCode: 404);
        await store.BindAsync(waId, agentId, context.RequestAborted);
        return TypedResults.Json(new BindResult("ok", waId, agentId), AdminJson.Default.BindResult);
    }

    public async Task<IResult> StatsAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var (length, pending) = await jobs.CountsAsync();
        var state = await outbound.StateAsync(ct);
        var stats = new AdminStats(
            new QueueStats(length, pending, await delayed.CountAsync()),
            await store.CountByStatusAsync("inbound_messages", ct),
            await store.CountByStatusAsync("outbound_messages", ct),
            await store.CountDeadJobsAsync(ct),
            state.OutboundEnvEnabled,
            state.OutboundEffective,
            state.OutboundPaused,
            await context.RequestServices.GetRequiredService<Heartbeats>().ReadAsync());
        return TypedResults.Json(stats, AdminJson.Default.AdminStats);
    }

    public async Task<IResult> OutboundStateAsync(HttpContext context) =>
        TypedResults.Json(await outbound.StateAsync(context.RequestAborted), AdminJson.Default.OutboundState);

    /// <summary>The runtime kill switch: every worker stops (or resumes) sending within about a second.</summary>
    public async Task<IResult> SetOutboundPausedAsync(HttpContext context, bool pause)
    {
        await outbound.SetPausedAsync(pause, "paused by an operator", context.RequestAborted);
        return await OutboundStateAsync(context);
    }
}
