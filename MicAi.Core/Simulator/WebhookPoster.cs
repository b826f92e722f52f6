using MicAi.Core.Hosting;
using System.Net.Http.Headers;
using MicAi.Core.Configuration;
using MicAi.Core.WhatsApp;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Simulator;

/// <summary>MicAi's answer to a delivery: 2xx, or the status and the ProblemDetails text; Status 0 = no answer.</summary>
public sealed record WebhookOutcome(int Status, string? Problem)
{
    public bool Accepted => Status is >= 200 and < 300;

    public string Describe() => Status == 0 ? $"not delivered: {Problem}" : $"MicAi answered {Status}: {Problem}";
}

/// <summary>
/// Delivers a webhook body to this process's own <c>POST /webhook</c> over HTTP, as Meta does: the exact bytes, signed
/// with <c>X-Hub-Signature-256</c> (HMAC-SHA256 with the app secret) when one is configured. The signing happens
/// here, on the server: the page never sees the app secret.
/// </summary>
public sealed class WebhookPoster(HttpClient http, WhatsAppSettings whatsApp, HostingSettings hosting, IServer server, ILogger<WebhookPoster> log)
{
    public const string HttpClientName = "simulator-webhooks";

    public async Task<WebhookOutcome> PostAsync(byte[] body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(OwnBaseUri(), "webhook"))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (whatsApp.AppSecret is { } secret)
            request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Compute(secret, body));
        try
        {
            using var response = await http.SendAsync(request, ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return new WebhookOutcome(status, null);
            var problem = await response.Content.ReadAsStringAsync(ct);
            SimulatorLog.WebhookRefused(log, status);
            return new WebhookOutcome(status, problem);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            SimulatorLog.WebhookUndelivered(log, ex.Message);
            return new WebhookOutcome(0, ex.Message);
        }
    }

    /// <summary>
    /// Where this process listens, from the server itself (Kestrel's bound addresses; a wildcard host becomes
    /// loopback), else 127.0.0.1 on <c>PORT</c>.
    /// </summary>
    public Uri OwnBaseUri()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
        if (address is null) return new Uri($"http://127.0.0.1:{hosting.Port}/");
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "localhost") uri.Host = "127.0.0.1";
        uri.Path = "/";
        return uri.Uri;
    }
}
