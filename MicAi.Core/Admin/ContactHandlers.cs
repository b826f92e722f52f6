using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Admin;

/// <summary>Contacts (list, get, opt-out state and time zone), unbinding, and the conversation turns of a contact.</summary>
public sealed class ContactHandlers(ContactStore contacts)
{
    public async Task<IResult> ListAsync(HttpContext c)
    {
        if (!AdminHttp.TryPaging(c, out var limit, out var offset, out var problem)) return problem!;
        bool? optedOut = null;
        if (AdminHttp.Query(c, "opted_out") is { } raw)
        {
            if (!bool.TryParse(raw, out var value)) return AdminHttp.Invalid("opted_out", "must be true or false");
            optedOut = value;
        }
        long? agentId = null;
        if (AdminHttp.Query(c, "agent_id") is { } rawAgent)
        {
            if (!long.TryParse(rawAgent, out var value)) return AdminHttp.Invalid("agent_id", "must be a number");
            agentId = value;
        }
        var items = await contacts.ListAsync(optedOut, agentId, limit, offset, c.RequestAborted);
        return TypedResults.Json(new ContactPage([.. items], limit, offset, AdminHttp.NextOffset(items.Count, limit, offset)), AdminJson.Default.ContactPage);
    }

    public async Task<IResult> GetAsync(HttpContext c)
    {
        var waId = AdminHttp.Route(c, "wa_id");
        return await contacts.GetAsync(waId, c.RequestAborted) is { } contact
            ? TypedResults.Json(contact, AdminJson.Default.ContactView)
            : AdminHttp.NotFound($"contact {waId}");
    }

    public async Task<IResult> UpdateAsync(HttpContext c)
    {
        var waId = AdminHttp.Route(c, "wa_id");
        if (string.IsNullOrWhiteSpace(waId)) return AdminHttp.Invalid("wa_id", "required");
        var (input, problem) = await AdminHttp.ReadJsonAsync(c, AdminJson.Default.ContactInput);
        if (problem is not null) return problem;
        if (input!.Validate() is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        return TypedResults.Json(await contacts.UpsertAsync(waId, input, c.RequestAborted), AdminJson.Default.ContactView);
    }

    /// <summary>The contact goes back to the default agent.</summary>
    public async Task<IResult> UnbindAsync(HttpContext c)
    {
        var waId = AdminHttp.Route(c, "wa_id");
        return await contacts.UnbindAsync(waId, c.RequestAborted) ? TypedResults.NoContent() : AdminHttp.NotFound($"contact {waId}");
    }

    public async Task<IResult> TurnsAsync(HttpContext c)
    {
        if (!AdminHttp.TryPaging(c, out var limit, out var offset, out var problem)) return problem!;
        var waId = AdminHttp.Route(c, "wa_id");
        if (await contacts.GetAsync(waId, c.RequestAborted) is null) return AdminHttp.NotFound($"contact {waId}");
        var items = await contacts.TurnsAsync(waId, limit, offset, c.RequestAborted);
        return TypedResults.Json(new TurnPage([.. items], limit, offset, AdminHttp.NextOffset(items.Count, limit, offset)), AdminJson.Default.TurnPage);
    }
}
