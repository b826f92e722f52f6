using MicAi.Core.Agents;

namespace MicAi.Core.Admin;

/// <summary>
/// The agent platform's admin operations (agents, rules, bindings, contacts, conversations, schedules, the outbound
/// ledger and the OpenAPI document), part of <see cref="AdminRoutes.All"/>. Each handler class is resolved per
/// request; Request, Response and Query document the operation in /admin/openapi.json.
/// </summary>
public static class PlatformRoutes
{
    private static readonly string[] Paging = ["limit", "offset"];

    public static readonly IReadOnlyList<AdminRoute> All =
    [
        new("GET", "/admin/openapi.json", "OpenApiDocument", (_, c) => c.Use<AdminOpenApi>().GetAsync(c)),

        new("GET", "/admin/agents", "ListAgents", (_, c) => c.Use<AgentHandlers>().ListAsync(c), Response: typeof(AgentPage), Query: Paging),
        new("POST", "/admin/agents", "CreateAgent", (_, c) => c.Use<AgentHandlers>().CreateAsync(c), typeof(AgentInput), typeof(AgentView), 201),
        new("GET", "/admin/agents/{agent_id}", "GetAgent", (_, c) => c.Use<AgentHandlers>().GetAsync(c), Response: typeof(AgentView)),
        new("PUT", "/admin/agents/{agent_id}", "UpdateAgent", (_, c) => c.Use<AgentHandlers>().UpdateAsync(c), typeof(AgentInput), typeof(AgentView)),
        new("DELETE", "/admin/agents/{agent_id}", "DeleteAgent", (_, c) => c.Use<AgentHandlers>().DeleteAsync(c), Status: 204),

        new("GET", "/admin/agents/{agent_id}/rules", "ListAgentRules", (_, c) => c.Use<RuleHandlers>().ListByAgentAsync(c), Response: typeof(AgentRule[])),
        new("GET", "/admin/rules/{rule_id}", "GetRule", (_, c) => c.Use<RuleHandlers>().GetAsync(c), Response: typeof(AgentRule)),
        new("PUT", "/admin/rules/{rule_id}", "UpdateRule", (_, c) => c.Use<RuleHandlers>().UpdateAsync(c), typeof(RuleInput), typeof(AgentRule)),
        new("DELETE", "/admin/rules/{rule_id}", "DeleteRule", (_, c) => c.Use<RuleHandlers>().DeleteAsync(c), Status: 204),
        new("DELETE", "/admin/bind/{wa_id}", "Unbind", (_, c) => c.Use<ContactHandlers>().UnbindAsync(c), Status: 204),
        new("GET", "/admin/contacts", "ListContacts", (_, c) => c.Use<ContactHandlers>().ListAsync(c), Response: typeof(ContactPage),
            Query: ["limit", "offset", "opted_out", "agent_id"]),
        new("GET", "/admin/contacts/{wa_id}", "GetContact", (_, c) => c.Use<ContactHandlers>().GetAsync(c), Response: typeof(ContactView)),
        new("PUT", "/admin/contacts/{wa_id}", "UpdateContact", (_, c) => c.Use<ContactHandlers>().UpdateAsync(c), typeof(ContactInput), typeof(ContactView)),
        new("GET", "/admin/contacts/{wa_id}/turns", "ListTurns", (_, c) => c.Use<ContactHandlers>().TurnsAsync(c), Response: typeof(TurnPage), Query: Paging),
        new("GET", "/admin/schedules", "ListSchedules", (_, c) => c.Use<ScheduleHandlers>().ListAsync(c), Response: typeof(SchedulePage),
            Query: ["limit", "offset", "wa_id"]),
        new("POST", "/admin/schedules", "CreateSchedule", (_, c) => c.Use<ScheduleHandlers>().CreateAsync(c), typeof(ScheduleInput), typeof(ScheduleView), 201),
        new("GET", "/admin/schedules/{schedule_id}", "GetSchedule", (_, c) => c.Use<ScheduleHandlers>().GetAsync(c), Response: typeof(ScheduleView)),
        new("PUT", "/admin/schedules/{schedule_id}", "UpdateSchedule", (_, c) => c.Use<ScheduleHandlers>().UpdateAsync(c), typeof(ScheduleInput), typeof(ScheduleView)),
        new("DELETE", "/admin/schedules/{schedule_id}", "DeleteSchedule", (_, c) => c.Use<ScheduleHandlers>().DeleteAsync(c), Status: 204),
        new("GET", "/admin/outbound/messages", "ListOutboundMessages", (_, c) => c.Use<OutboundHandlers>().ListAsync(c), Response: typeof(OutboundPage),
            Query: ["limit", "offset", "status", "wa_id"]),
    ];

    /// <summary>Body types of the operations kept from the Python service, for the OpenAPI document.</summary>
    public static AdminRoute Described(AdminRoute route) => route.Request is not null || route.Response is not null ? route : route.Name switch
    {
        "CreateRule" => route with { Request = typeof(RuleInput), Response = typeof(AgentRule) },
        "Bind" => route with { Response = typeof(BindResult) },
        "Stats" => route with { Response = typeof(AdminStats) },
        _ => route,
    };
}
