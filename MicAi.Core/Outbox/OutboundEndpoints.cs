using System.Reflection;
using MicAi.Core.Http;
using MicAi.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Core.Outbox;

/// <summary>{admin}/outbound: the kill switch (state, pause, resume) and the outbound ledger.</summary>
public static class OutboundEndpoints
{
    public static readonly ApiTag Tag = new("outbound",
        "What MicAi sends: the runtime kill switch (every worker stops or resumes sending within about a second) and the ledger of messages.");

    public static RouteGroupBuilder MapOutbound(this RouteGroupBuilder admin)
    {
        var outbound = admin.MapTagged("/outbound", Tag);
        outbound.MapGet("", StateAsync).WithName("OutboundState").WithSummary("Whether outbound sending is on, and why not");
        outbound.MapPost("/pause", PauseAsync).WithName("PauseOutbound").WithSummary("Pause all outbound sending (kept across restarts)");
        outbound.MapPost("/resume", ResumeAsync).WithName("ResumeOutbound").WithSummary("Resume outbound sending");
        outbound.MapGet("/messages", ListAsync).WithName("ListOutboundMessages").WithSummary("List the outbound ledger, newest first");
        return admin;
    }

    private static async Task<Ok<OutboundState>> StateAsync([FromServices] OutboundSwitch outbound, CancellationToken ct) =>
        TypedResults.Ok(await outbound.StateAsync(ct));

    private static Task<Ok<OutboundState>> PauseAsync([FromServices] OutboundSwitch outbound, CancellationToken ct) => SetPausedAsync(outbound, true, ct);

    private static Task<Ok<OutboundState>> ResumeAsync([FromServices] OutboundSwitch outbound, CancellationToken ct) => SetPausedAsync(outbound, false, ct);

    private static async Task<Ok<OutboundState>> SetPausedAsync(OutboundSwitch outbound, bool pause, CancellationToken ct)
    {
        await outbound.SetPausedAsync(pause, "paused by an operator", ct);
        return TypedResults.Ok(await outbound.StateAsync(ct));
    }

    private static async Task<Ok<OutboundPage>> ListAsync(Paging page, OutboundFilter filter, [FromServices] OutboundLedger ledger, CancellationToken ct)
    {
        var items = await ledger.ListAsync(filter.Status, filter.WaId, filter.Wamid, page.Limit, page.Offset, ct);
        return TypedResults.Ok(new OutboundPage([.. items], page.Limit, page.Offset, page.NextOffset(items.Count)));
    }
}

/// <summary>?status= and ?wa_id= on the outbound ledger.</summary>
public sealed class OutboundFilter : QueryInput, IBindableFromHttpContext<OutboundFilter>, IEndpointParameterMetadataProvider
{
    private OutboundFilter(IQueryCollection query) : base(query)
    {
        if (Text("status") is { } status)
            Status = DbEnum<OutboundStatus>.TryParse(status, out var s) ? s : Error<OutboundStatus?>("status", $"one of {string.Join(", ", DbEnum<OutboundStatus>.All)}", null);
        WaId = Text("wa_id");
        Wamid = Text("wamid");
    }

    public OutboundStatus? Status { get; }

    public string? WaId { get; }

    public string? Wamid { get; }

    public static ValueTask<OutboundFilter?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<OutboundFilter?>(new(context.Request.Query));

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => Declare(builder,
        new("status", typeof(OutboundStatus), "only rows in this state"),
        new("wa_id", typeof(string), "only rows to this recipient"),
        new("wamid", typeof(string), "only the row Meta gave this message id (wamid)"));
}
