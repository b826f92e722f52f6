using MicAi.Core.WhatsApp;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MicAi.Core.Configuration;
using MicAi.Core.Http;
using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Simulator;

/// <summary>
/// <c>POST /simulator/graph/{version}/{phone-number-id}/messages</c>: the Cloud API as MicAi meets it, with its checks
/// in its order — the bearer token (401, code 190), a version path, the sending number's id (code 100, subcode 33),
/// the body (<see cref="GraphRequest"/>). A send becomes a bubble in the customer's chat, answered with Graph's
/// response shape and followed by signed status webhooks; free-form content to a customer who has not written in
/// 24 hours is accepted and then fails with status 131047, as on WhatsApp. A mark-as-read turns the customer's
/// message read and, with a typing indicator, shows "typing…".
/// </summary>
public sealed partial class GraphStandIn(SimulatorStore store, StatusPump statuses, WhatsAppSettings whatsApp, TimeProvider time)
{
    public const long MaxBodyBytes = 256 * 1024;

    public static readonly TimeSpan CustomerServiceWindow = TimeSpan.FromHours(24);

    public async Task<IResult> MessagesAsync(string version, string phoneNumberId, HttpRequest request, CancellationToken ct)
    {
        var response = request.HttpContext.Response;
        if (!Authorized(request)) return GraphErrors.InvalidToken().ToResult(response);
        if (!GraphVersion().IsMatch(version)) return GraphErrors.UnknownPath(version).ToResult(response);
        if (phoneNumberId != whatsApp.PhoneNumberId) return GraphErrors.UnknownObject(phoneNumberId).ToResult(response);

        using var body = await RequestBody.ReadAsync(request, MaxBodyBytes, ct);
        if (body is null) return GraphErrors.InvalidParameter($"The request body is larger than {MaxBodyBytes} bytes.").ToResult(response);
        var (refusal, call) = GraphRequest.Parse(body.Memory.Span);
        if (refusal is not null) return refusal.ToResult(response);
        return call switch
        {
            MarkReadCall read => MarkRead(read, response),
            SendCall send => Send(send),
            _ => throw new InvalidOperationException("unknown call " + call),
        };
    }

    /// <summary>Any other Graph path or method: Graph's "unsupported request" for an object it does not know.</summary>
    public IResult Unsupported(HttpRequest request, string? path)
    {
        var response = request.HttpContext.Response;
        return Authorized(request)
            ? GraphErrors.UnknownObject(path ?? "", request.Method.ToLowerInvariant()).ToResult(response)
            : GraphErrors.InvalidToken().ToResult(response);
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim()
            : request.Query["access_token"].ToString(); // Graph also takes the token as a query parameter
        return token.Length > 0 && SecretCompare.Equal(token, whatsApp.AccessToken);
    }

    private IResult MarkRead(MarkReadCall call, HttpResponse response)
    {
        var message = store.Find(call.MessageId);
        if (message is not { FromCustomer: true })
            return GraphErrors.InvalidParameter($"Param message_id '{call.MessageId}' is not a message this number received.").ToResult(response);
        store.Update(message.Wamid, m => m.Status is "sent" or "sending" ? m with { Status = "read" } : m);
        if (call.Typing) store.ShowTyping(message.CustomerId);
        return Json(new JsonObject { ["success"] = true });
    }

    private IResult Send(SendCall call)
    {
        var customer = store.FindCustomer(call.To) ?? store.AddCustomer(call.ToUserId
            ? new SimCustomer(call.To, call.To, null, call.To, null, call.To[..2])
            : new SimCustomer(call.To, "+" + call.To, call.To, null, null, "US"));
        var now = time.GetUtcNow();
        var message = store.Add(call.Bubble with { CustomerId = customer.Id, Wamid = MetaWebhooks.NewWamid(), At = now });

        if (message.Kind != "template" && !(store.LastInboundAt(customer.Id) is { } last && now - last <= CustomerServiceWindow))
        {
            statuses.Enqueue(new StatusWork(message.Wamid, "failed", (131047, "Re-engagement message",
                "Message failed to send because more than 24 hours have passed since the customer last replied to this number.")));
        }
        else
        {
            statuses.Enqueue(new StatusWork(message.Wamid, "sent"));
            statuses.Enqueue(new StatusWork(message.Wamid, "delivered"));
        }

        var contact = new JsonObject { ["input"] = call.To, [call.ToUserId ? "user_id" : "wa_id"] = call.To };
        var sent = new JsonObject { ["id"] = message.Wamid };
        if (message.Kind == "template") sent["message_status"] = "accepted";
        return Json(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(contact),
            ["messages"] = new JsonArray(sent),
        });
    }

    private static IResult Json(JsonObject body) => TypedResults.Text(body.ToJsonString(), "application/json; charset=UTF-8");

    [GeneratedRegex(@"^v[0-9]{1,3}\.[0-9]{1,2}$")]
    private static partial Regex GraphVersion();
}
