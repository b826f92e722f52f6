using System.Reflection;
using MicAi.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Core.Agents;

/// <summary>Contacts (list, get, opt-out state and time zone), binding a contact to an agent, and a contact's conversation turns.</summary>
public static class ContactEndpoints
{
    public static readonly ApiTag Tag = new("contacts",
        "The people who write: opt-out state, time zone, the agent they are bound to, and their conversation turns.");

    public static RouteGroupBuilder MapContacts(this RouteGroupBuilder admin)
    {
        var contacts = admin.MapTagged("", Tag);
        contacts.MapPost("/bind/{wa_id}/{agent_id}", BindAsync).WithName("Bind")
            .WithSummary("Bind a contact to an agent (creates the contact); agent_id is MicAi's number or a Python agent id such as default-agent (created when new)");
        contacts.MapDelete("/bind/{wa_id}", UnbindAsync).WithName("Unbind").WithSummary("Unbind a contact: back to the default agent");
        contacts.MapGet("/contacts", ListAsync).WithName("ListContacts")
            .WithSummary("List contacts with their newest message, window and handover (oldest first, or most recent activity first)");
        contacts.MapGet("/contacts/{wa_id}", GetAsync).WithName("GetContact").WithSummary("Get a contact");
        contacts.MapPut("/contacts/{wa_id}", UpdateAsync).WithName("UpdateContact").WithSummary("Set a contact's opt-out state and/or time zone (creates the contact)");
        contacts.MapGet("/contacts/{wa_id}/turns", TurnsAsync).WithName("ListTurns").WithSummary("List a contact's conversation turns, newest first");
        return admin;
    }

    private static async Task<Results<Ok<BindResult>, NotFoundProblem, ValidationProblem>> BindAsync(
        [FromRoute(Name = "wa_id")] string waId, [FromRoute(Name = "agent_id")] string agentId,
        [FromServices] ContactStore contacts, [FromServices] AgentStore agents, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(waId)) return Problems.FieldError("wa_id", "required");
        if (!AgentReference.TryParse(agentId, out var agent)) return Problems.FieldError("agent_id", "must be " + AgentReference.Rule);
        if (await agents.ResolveAsync(agent, ct) is not { } id) return RouteId.Missing("agent", agent);
        await contacts.BindAsync(waId, id, ct);
        return TypedResults.Ok(new BindResult("ok", waId, id));
    }

    private static async Task<Results<NoContent, NotFoundProblem>> UnbindAsync(
        [FromRoute(Name = "wa_id")] string waId, [FromServices] ContactStore contacts, CancellationToken ct) =>
        await contacts.UnbindAsync(waId, ct) ? TypedResults.NoContent() : RouteId.Missing("contact", waId);

    private static async Task<Ok<ContactPage>> ListAsync(Paging page, ContactFilter filter, [FromServices] ContactStore contacts, CancellationToken ct)
    {
        var items = await contacts.ListAsync(filter, page.Limit, page.Offset, ct);
        return TypedResults.Ok(new ContactPage([.. items], page.Limit, page.Offset, page.NextOffset(items.Count)));
    }

    private static async Task<Results<Ok<ContactView>, NotFoundProblem>> GetAsync(
        [FromRoute(Name = "wa_id")] string waId, [FromServices] ContactStore contacts, CancellationToken ct) =>
        await contacts.GetAsync(waId, ct) is { } contact ? TypedResults.Ok(contact) : RouteId.Missing("contact", waId);

    private static async Task<Results<Ok<ContactView>, ValidationProblem>> UpdateAsync(
        [FromRoute(Name = "wa_id")] string waId, JsonBody<ContactInput> body, [FromServices] ContactStore contacts, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(waId)) return Problems.FieldError("wa_id", "required");
        return TypedResults.Ok(await contacts.UpsertAsync(waId, body.Value, ct));
    }

    private static async Task<Results<Ok<TurnPage>, NotFoundProblem>> TurnsAsync(
        [FromRoute(Name = "wa_id")] string waId, Paging page, [FromServices] ContactStore contacts, [FromServices] ConversationStore conversations,
        CancellationToken ct)
    {
        if (await contacts.GetAsync(waId, ct) is null) return RouteId.Missing("contact", waId);
        var items = await conversations.TurnsAsync(waId, page.Limit, page.Offset, ct);
        return TypedResults.Ok(new TurnPage([.. items], page.Limit, page.Offset, page.NextOffset(items.Count)));
    }
}

/// <summary>?opted_out=, ?agent_id=, ?handover=, ?awaiting_reply= and ?order= on the contact list.</summary>
public sealed class ContactFilter : QueryInput, IBindableFromHttpContext<ContactFilter>, IEndpointParameterMetadataProvider
{
    private ContactFilter(IQueryCollection query) : base(query)
    {
        OptedOut = Bool("opted_out", "must be true or false");
        AgentId = Long("agent_id", "must be a number");
        Handover = Bool("handover", "must be true or false");
        AwaitingReply = Bool("awaiting_reply", "must be true or false");
        RecentFirst = Text("order") switch
        {
            null or "created" => false,
            "recent" => true,
            _ => Error("order", "created (default: oldest contact first) or recent (most recent message first)", false),
        };
    }

    public bool? Handover { get; }

    public bool? AwaitingReply { get; }

    public bool RecentFirst { get; }

    public bool? OptedOut { get; }

    public long? AgentId { get; }

    public static ValueTask<ContactFilter?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<ContactFilter?>(new(context.Request.Query));

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => Declare(builder,
        new("opted_out", typeof(bool), "only contacts that have (true) or have not (false) opted out"),
        new("agent_id", typeof(long), "only contacts bound to this agent"),
        new("handover", typeof(bool), "only contacts a person is (true) or is not (false) answering"),
        new("awaiting_reply", typeof(bool), "only contacts whose newest message is (true) or is not (false) theirs"),
        new("order", typeof(string), "created (default) or recent: most recent message first"));
}
