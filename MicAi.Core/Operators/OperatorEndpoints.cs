using System.Reflection;
using MicAi.Core.Agents;
using MicAi.Core.Http;
using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Operators;

/// <summary>
/// Human in the loop: a contact's timeline, handing a contact over to a person, operator sends, the attention list and
/// resolving sends whose outcome is unknown.
/// </summary>
public static class OperatorEndpoints
{
    public static readonly ApiTag Tag = new("operators",
        "People in the conversation: every message of a contact, handover (the bot stays quiet), sends by an operator, and what needs attention.");

    public static RouteGroupBuilder MapOperators(this RouteGroupBuilder admin)
    {
        var ops = admin.MapTagged("", Tag);
        ops.MapGet("/contacts/{wa_id}/messages", TimelineAsync).WithName("ListContactMessages")
            .WithSummary("A contact's inbound and outbound messages, newest first, with delivery statuses (keyset-paged)");
        ops.MapPost("/contacts/{wa_id}/messages", SendAsync).WithName("SendOperatorMessage")
            .WithSummary("Send a text or template to a contact as an operator (Idempotency-Key required)");
        ops.MapGet("/contacts/{wa_id}/handover", GetHandoverAsync).WithName("GetHandover").WithSummary("A contact's handover state");
        ops.MapPut("/contacts/{wa_id}/handover", SetHandoverAsync).WithName("SetHandover")
            .WithSummary("Hand a contact over to a person (the bot stays quiet), or release them");
        ops.MapGet("/attention", AttentionAsync).WithName("ListAttention")
            .WithSummary("Unknown and failed sends, dead jobs, handovers waiting for a person, unanswered messages");
        ops.MapPost("/outbound/messages/{key}/resolve", ResolveAsync).WithName("ResolveUnknownSend")
            .WithSummary("Resolve a send whose outcome is unknown: mark it failed, or resend it under a new key");
        return admin;
    }

    private static async Task<Results<Ok<TimelinePage>, NotFoundProblem>> TimelineAsync(
        [FromRoute(Name = "wa_id")] string waId, TimelineQuery query, [FromServices] ContactStore contacts, [FromServices] TimelineStore timeline,
        CancellationToken ct)
    {
        if (await contacts.GetAsync(waId, ct) is null) return RouteId.Missing("contact", waId);
        return TypedResults.Ok(await timeline.PageAsync(waId, query.Before, query.Limit, ct));
    }

    private static async Task<Results<Accepted<OutboundView>, NotFoundProblem, ConflictProblem, UnprocessableProblem, ValidationProblem>> SendAsync(
        [FromRoute(Name = "wa_id")] string waId, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        JsonBody<OperatorSendInput> body, [FromServices] OperatorSends sends, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 255)
            return Problems.FieldError("Idempotency-Key", "required header: a unique key per message (1 to 255 characters), e.g. a UUID");
        return Result(await sends.SendAsync(waId, idempotencyKey, body.Value, ct));
    }

    private static async Task<Results<Ok<HandoverState>, NotFoundProblem>> GetHandoverAsync(
        [FromRoute(Name = "wa_id")] string waId, [FromServices] ContactStore contacts, [FromServices] HandoverStore handovers,
        [FromServices] TimeProvider time, CancellationToken ct)
    {
        if (await contacts.GetAsync(waId, ct) is null) return RouteId.Missing("contact", waId);
        return TypedResults.Ok(await handovers.GetAsync(waId, time.GetUtcNow(), ct));
    }

    private static async Task<Results<Ok<HandoverState>, NotFoundProblem>> SetHandoverAsync(
        [FromRoute(Name = "wa_id")] string waId, JsonBody<HandoverInput> body, [FromServices] ContactStore contacts,
        [FromServices] HandoverStore handovers, [FromServices] TimeProvider time, CancellationToken ct)
    {
        if (await contacts.GetAsync(waId, ct) is null) return RouteId.Missing("contact", waId);
        var input = body.Value;
        var now = time.GetUtcNow();
        DateTimeOffset? until = input.Minutes is { } minutes ? now.AddMinutes(minutes) : null;
        return TypedResults.Ok(await handovers.SetAsync(waId, input.Active!.Value, now, until, ct));
    }

    private static async Task<Ok<AttentionView>> AttentionAsync(AttentionQuery query, [FromServices] AttentionList attention, CancellationToken ct) =>
        TypedResults.Ok(await attention.ReadAsync(query.Limit, ct));

    private static async Task<Results<Ok<OutboundView>, Accepted<OutboundView>, NotFoundProblem, ConflictProblem>> ResolveAsync(
        [FromRoute(Name = "key")] string key, JsonBody<ResolveInput> body, [FromServices] OutboundLedger ledger, [FromServices] OperatorSends sends,
        [FromServices] ILogger<OperatorSends> log, CancellationToken ct)
    {
        if (body.Value.Action == "resend")
        {
            var outcome = await sends.ResendAsync(key, ct);
            if (outcome.Row is { } resent)
            {
                OperatorsLog.UnknownResolved(log, key, "resend as " + resent.IdempotencyKey);
                return TypedResults.Accepted(LedgerOf(resent), resent);
            }
            return outcome.Refusal!.Status == 404 ? new NotFoundProblem(outcome.Refusal.Detail) : new ConflictProblem(outcome.Refusal.Detail);
        }
        if (await ledger.MarkUnknownFailedAsync(key, ct))
        {
            OperatorsLog.UnknownResolved(log, key, "marked failed");
            return TypedResults.Ok((await ledger.GetAsync(key, ct))!);
        }
        return await ledger.GetAsync(key, ct) is { } row
            ? new ConflictProblem($"outbound message {key} is {row.Status.ToString().ToLowerInvariant()}, not unknown: only a send whose outcome is unknown can be marked failed")
            : RouteId.Missing("outbound message", key);
    }

    private static Results<Accepted<OutboundView>, NotFoundProblem, ConflictProblem, UnprocessableProblem, ValidationProblem> Result(SendOutcome outcome) =>
        outcome switch
        {
            { Row: { } row } => TypedResults.Accepted(LedgerOf(row), row),
            { Refusal: { Status: 404 } r } => new NotFoundProblem(r.Detail),
            { Refusal: { Status: 422 } r } => new UnprocessableProblem(r.Detail),
            { Refusal: { } r } => new ConflictProblem(r.Detail),
            _ => throw new InvalidOperationException("an outcome has a row or a refusal"),
        };

    /// <summary>Where the row can be seen again (the Location of a 202).</summary>
    private static string LedgerOf(OutboundView row) => $"/admin/outbound/messages?wa_id={Uri.EscapeDataString(row.WaId)}";
}

/// <summary>?before= (a page's next_before) and ?limit= (1–200, default 50) on a contact's timeline.</summary>
public sealed class TimelineQuery : QueryInput, IBindableFromHttpContext<TimelineQuery>, IEndpointParameterMetadataProvider
{
    private TimelineQuery(IQueryCollection query) : base(query)
    {
        Limit = Int("limit", 50, 1, Paging.MaxLimit);
        if (Text("before") is { } before)
            Before = TimelineCursor.TryDecode(before, out var cursor) ? cursor : Error<TimelineCursor?>("before", "not a cursor this API returned (use a page's next_before)", null);
    }

    public int Limit { get; }

    public TimelineCursor? Before { get; }

    public static ValueTask<TimelineQuery?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<TimelineQuery?>(new(context.Request.Query));

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => Declare(builder,
        new("before", typeof(string), "the next_before of the previous page (opaque); absent: the newest page"),
        new("limit", typeof(int), $"items per page, 1 to {Paging.MaxLimit} (default 50)"));
}

/// <summary>?limit= (1–200, default 50): at most this many items in each list of the attention view.</summary>
public sealed class AttentionQuery : QueryInput, IBindableFromHttpContext<AttentionQuery>, IEndpointParameterMetadataProvider
{
    private AttentionQuery(IQueryCollection query) : base(query) => Limit = Int("limit", 50, 1, Paging.MaxLimit);

    public int Limit { get; }

    public static ValueTask<AttentionQuery?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<AttentionQuery?>(new(context.Request.Query));

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => Declare(builder,
        new QueryParameter("limit", typeof(int), $"at most this many items in each list, 1 to {Paging.MaxLimit} (default 50)"));
}
