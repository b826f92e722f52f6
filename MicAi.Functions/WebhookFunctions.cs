using MicAi.Core.Inbox;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MicAi.Functions;

/// <summary>
/// Meta's webhook. Anonymous on purpose: Meta cannot send a function key; the X-Hub-Signature-256 HMAC over the raw
/// body, checked in Core, is the authentication.
/// </summary>
public sealed class WebhookFunctions(WebhookEndpoints webhook)
{
    [Function("WebhookGet")]
    public Task<IActionResult> Verify([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "webhook")] HttpRequest req) =>
        webhook.Verify(req).WriteAsync(req);

    [Function("WebhookPost")]
    public async Task<IActionResult> Receive([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhook")] HttpRequest req, CancellationToken ct) =>
        await (await webhook.ReceiveAsync(req, ct)).WriteAsync(req);
}
