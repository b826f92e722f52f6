using System.Text.Json;
using System.Text.Json.Serialization;
using MicAi.Core.Http;
using MicAi.Core.WhatsApp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Inbox;

/// <summary>
/// GET /webhook (Meta's subscription handshake) and POST /webhook (deliveries), written once over HttpRequest and
/// used by both the Host and the Functions app. Expected failures are results, never exceptions.
/// </summary>
public sealed class WebhookEndpoints(InboxSettings settings, WhatsAppSettings whatsApp, IngestWebhook ingest, ILogger<WebhookEndpoints> log)
{
    public const string SignatureHeader = "X-Hub-Signature-256";

    public IResult Verify(HttpRequest request)
    {
        string? mode = request.Query["hub.mode"], token = request.Query["hub.verify_token"], challenge = request.Query["hub.challenge"];
        if (string.IsNullOrEmpty(mode) || token is null || string.IsNullOrEmpty(challenge))
            return TypedResults.Problem("hub.mode, hub.verify_token and hub.challenge are required", statusCode: 400);
        if (mode != "subscribe" || !SecretCompare.Equal(token, whatsApp.VerifyToken))
        {
            WebhookLog.VerifyRefused(log);
            return TypedResults.Problem("verification refused", statusCode: 403);
        }
        return TypedResults.Text(challenge, "text/plain");
    }

    public async Task<IResult> ReceiveAsync(HttpRequest request, CancellationToken ct)
    {
        using var body = await RequestBody.ReadAsync(request, settings.WebhookMaxBodyBytes, ct);
        if (body is null)
            return TypedResults.Problem($"body larger than {settings.WebhookMaxBodyBytes} bytes", statusCode: 413);

        if (whatsApp.AppSecret is { } secret &&
            !WebhookSignature.Verify(secret, body.Memory.Span, request.Headers[SignatureHeader].ToString()))
        {
            WebhookLog.SignatureRejected(log);
            InboxMetrics.SignatureRejected();
            return TypedResults.Problem("missing or invalid X-Hub-Signature-256", statusCode: 401);
        }

        var parsed = WebhookParser.Parse(body.Memory);
        if (!parsed.IsValid)
            return TypedResults.Problem(parsed.Error, statusCode: 400);

        var (outcome, processed) = await ingest.IngestAsync(parsed.Batch!, ct);
        if (outcome == IngestOutcome.DatabaseUnavailable)
        {
            request.HttpContext.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem("storage unavailable, retry later", statusCode: 503);
        }
        return TypedResults.Json(new WebhookAccepted("accepted", processed), WebhookJson.Default.WebhookAccepted);
    }
}

public sealed record WebhookAccepted(string Status, int Processed);

public static class WebhookMapping
{
    /// <summary>GET and POST /webhook, Meta's two calls. The hot path: the handlers are registered singletons, no filters.</summary>
    public static IEndpointRouteBuilder MapWebhook(this IEndpointRouteBuilder app)
    {
        app.MapGet("/webhook", (HttpRequest request, WebhookEndpoints w) => w.Verify(request));
        app.MapPost("/webhook", (HttpRequest request, WebhookEndpoints w, CancellationToken ct) => w.ReceiveAsync(request, ct));
        return app;
    }
}

/// <summary>Source-generated JSON for the webhook's answer: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookAccepted))]
internal sealed partial class WebhookJson : JsonSerializerContext;
