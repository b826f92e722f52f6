using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Admin;

/// <summary>
/// One admin operation: method, route pattern (ASP.NET Core syntax) and the handler that serves it. Request and
/// Response name the JSON body types so the OpenAPI document carries their schemas; Status is the success code.
/// </summary>
public sealed record AdminRoute(
    string Method, string Pattern, string Name, Func<AdminHandlers, HttpContext, Task<IResult>> Handler,
    Type? Request = null, Type? Response = null, int Status = 200, string[]? Query = null);

/// <summary>
/// The one table of admin operations. The Host maps each entry with MapMethods; the Functions app's catch-all
/// matches the same table, so every operation exists on both shapes.
/// </summary>
public static class AdminRoutes
{
    /// <summary>
    /// Where every pattern below starts, and where the Host serves them. The Functions host refuses routes that start
    /// with "admin", so there the same table is mounted elsewhere (AdminEndpoints.DispatchAsync; docs/functions.md).
    /// </summary>
    public const string Base = "/admin";

    /// <summary>A pattern relative to <see cref="Base"/> (<c>/admin/stats</c> → <c>/stats</c>), as the OpenAPI document lists it.</summary>
    public static string Relative(string pattern) => pattern[Base.Length..];

    public static readonly IReadOnlyList<AdminRoute> All =
    [
        .. PlatformRoutes.All,
        new("POST", "/admin/rules", "CreateRule", (h, c) => h.CreateRuleAsync(c)),
        new("POST", "/admin/bind/{wa_id}/{agent_id}", "Bind", (h, c) => h.BindAsync(c)),
        new("GET", "/admin/stats", "Stats", (h, c) => h.StatsAsync(c)),
        new("GET", "/admin/outbound", "OutboundState", (h, c) => h.OutboundStateAsync(c)),
        new("POST", "/admin/outbound/pause", "PauseOutbound", (h, c) => h.SetOutboundPausedAsync(c, true)),
        new("POST", "/admin/outbound/resume", "ResumeOutbound", (h, c) => h.SetOutboundPausedAsync(c, false)),
        new("GET", "/admin/dead-jobs", "ListDeadJobs", (_, c) => DeadJobHandlers.From(c).ListAsync(c)),
        new("POST", "/admin/dead-jobs/{id}/replay", "ReplayDeadJob", (_, c) => DeadJobHandlers.From(c).ReplayAsync(c)),
        new("DELETE", "/admin/dead-jobs/{id}", "DeleteDeadJob", (_, c) => DeadJobHandlers.From(c).DeleteAsync(c)),
    ];
}
