using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MicAi.Core.Agents;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.WhatsApp;
using MicAi.Core.Http;
using MicAi.Core.WebUi;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace MicAi.Core.Simulator;

/// <summary>
/// The page's JSON API under /simulator/api: configuration, customers, a conversation, a customer's new message
/// (built, signed and posted to /webhook here), "the chat is open" (read receipts) and a server-sent event stream
/// that says when anything changed. Bad input is a 400/404/413/415 ProblemDetails; a state change from another
/// origin is a 403.
/// </summary>
public sealed class SimulatorApi(SimulatorStore store, WebhookPoster poster, StatusPump statuses, WhatsAppSettings whatsApp, OutboundSettings outbound, AgentSettings agents,
    TimeProvider time, IHostApplicationLifetime lifetime)
{
    public const long MaxBodyBytes = 64 * 1024;
    public const int MaxTextLength = 4096;

    public SimConfig Config() => new(
        whatsApp.PhoneNumberId, MetaWebhooks.DisplayPhoneNumber, whatsApp.AppSecret is not null,
        outbound.ReplyEnabled, agents.RequireInvokePrefix, agents.InvokePrefixes, whatsApp.GraphBaseUrl.ToString());

    public IResult GetConfig() => TypedResults.Json(Config(), SimulatorJson.Default.SimConfig);

    public IResult Customers() => TypedResults.Json(store.Customers(), SimulatorJson.Default.IReadOnlyListSimCustomerSummary);

    public IResult Conversation(string id) =>
        store.Conversation(id) is { } conversation
            ? TypedResults.Json(conversation, SimulatorJson.Default.SimConversation)
            : NoCustomer(id);

    public async Task<IResult> AddCustomerAsync(HttpRequest request, CancellationToken ct)
    {
        var (input, problem) = await ReadAsync(request, SimulatorJson.Default.NewCustomer, ct);
        if (problem is not null) return problem;
        var (customer, invalid) = CustomerFactory.Create(input!);
        if (customer is null) return TypedResults.Problem(invalid, statusCode: 400);
        var known = store.FindCustomer(customer.Id);
        var stored = known ?? store.AddCustomer(customer);
        return TypedResults.Json(stored, SimulatorJson.Default.SimCustomer, statusCode: known is null ? 201 : 200);
    }

    public async Task<IResult> SendAsync(string id, HttpRequest request, CancellationToken ct)
    {
        var (input, problem) = await ReadAsync(request, SimulatorJson.Default.NewCustomerMessage, ct);
        if (problem is not null) return problem;
        if (store.FindCustomer(id) is not { } customer) return NoCustomer(id);

        SimMessage message;
        SimChoice? choice = null;
        if (input!.ChoiceId is { } choiceId)
        {
            var offer = input.ReplyTo is null ? null : store.Find(input.ReplyTo);
            choice = offer is { FromCustomer: false } && offer.CustomerId == id ? offer.Choices?.FirstOrDefault(c => c.Id == choiceId) : null;
            if (choice is null) return TypedResults.Problem($"the bot offered no choice '{choiceId}' in message '{input.ReplyTo}'", statusCode: 400);
            message = new SimMessage(0, id, true, MetaWebhooks.NewWamid(), offer!.ChoiceKind!, choice.Title, time.GetUtcNow(), "sending", ContextWamid: offer.Wamid);
        }
        else
        {
            var text = input.Text?.Trim();
            if (string.IsNullOrEmpty(text)) return TypedResults.Problem("text is empty", statusCode: 400);
            if (text.Length > MaxTextLength) return TypedResults.Problem($"text is longer than {MaxTextLength} characters", statusCode: 400);
            if (input.ReplyTo is { } replyTo && store.Find(replyTo)?.CustomerId != id)
                return TypedResults.Problem($"no message '{replyTo}' in this chat to reply to", statusCode: 400);
            message = new SimMessage(0, id, true, MetaWebhooks.NewWamid(), "text", text, time.GetUtcNow(), "sending", ContextWamid: input.ReplyTo);
        }

        var stored = store.Add(message);
        var outcome = await poster.PostAsync(MetaWebhooks.CustomerMessage(whatsApp.PhoneNumberId, customer, stored, choice), ct);
        var result = store.Update(stored.Wamid, m => outcome.Accepted
            ? m with { Status = m.Status == "sending" ? "sent" : m.Status }
            : m with { Status = "failed", Error = outcome.Describe() }) ?? stored;
        return TypedResults.Json(result, SimulatorJson.Default.SimMessage, statusCode: 201);
    }

    /// <summary>The chat is on screen: the bot's messages in it are read.</summary>
    public IResult Seen(string id, HttpRequest request)
    {
        if (!BrowserSecurity.IsSameOriginJson(request)) return CrossOrigin(request);
        if (store.FindCustomer(id) is null) return NoCustomer(id);
        statuses.Seen(id);
        return TypedResults.NoContent();
    }

    /// <summary>Server-sent events: "changed" with the store's version, now and after every change, until the page or MicAi goes.</summary>
    public IResult Events(CancellationToken ct) => TypedResults.ServerSentEvents(ChangesAsync(ct), eventType: "changed");

    private async IAsyncEnumerable<string> ChangesAsync([EnumeratorCancellation] CancellationToken ct)
    {
        // Shutdown ends the stream too, or Kestrel would wait out its whole shutdown timeout for it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        var seen = store.Version;
        yield return seen.ToString(System.Globalization.CultureInfo.InvariantCulture);
        while (!stop.IsCancellationRequested)
        {
            try { seen = await store.WaitForChangeAsync(seen, stop.Token); }
            catch (OperationCanceledException) { yield break; }
            yield return seen.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static async Task<(T?, IResult?)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken ct) where T : class
    {
        if (!BrowserSecurity.IsSameOriginJson(request)) return (null, CrossOrigin(request));
        using var body = await RequestBody.ReadAsync(request, MaxBodyBytes, ct);
        if (body is null) return (null, TypedResults.Problem($"body larger than {MaxBodyBytes} bytes", statusCode: 413));
        try
        {
            return JsonSerializer.Deserialize(body.Memory.Span, type) is { } value
                ? (value, null)
                : (null, TypedResults.Problem("body must be a JSON object", statusCode: 400));
        }
        catch (JsonException ex)
        {
            return (null, TypedResults.Problem($"body is not valid JSON: {ex.Message}", statusCode: 400));
        }
    }

    private static IResult CrossOrigin(HttpRequest request) => request.HasJsonContentType()
        ? TypedResults.Problem("state changes are accepted only from the simulator page's own origin", statusCode: 403)
        : TypedResults.Problem("send application/json", statusCode: 415);

    private static IResult NoCustomer(string id) => TypedResults.Problem($"no simulated customer '{id}'", statusCode: 404);
}
