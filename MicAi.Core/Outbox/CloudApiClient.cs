using System.Net.Http.Headers;
using System.Text.Json;
using MicAi.Core.Configuration;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Outbox;

/// <summary>
/// WhatsApp Cloud API client: POST {graph base}/{version}/{phone number id}/messages with the bearer token.
/// Throws <see cref="GraphCallException"/> with the parsed Graph error on any failure.
/// </summary>
public sealed class CloudApiClient(HttpClient http, WhatsAppSettings settings)
{
    public const string HttpClientName = "graph";

    /// <returns>The provider message id (wamid) Meta assigned.</returns>
    public async Task<string> SendAsync(ClaimedSend send, CancellationToken ct)
    {
        var body = send.Kind switch
        {
            "template" => CloudApiRequests.Template(send.WaId, send.TemplateName!, send.TemplateLanguage ?? "en_US",
                send.TemplateParams ?? [], send.IdempotencyKey),
            _ => CloudApiRequests.Text(send.WaId, send.Body ?? "", settings.ReplyThreading ? send.ContextMessageId : null,
                send.IdempotencyKey),
        };
        using var response = await PostAsync(send.PhoneNumberId, body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var sent = GraphResponses.ParseSend(text);
        return sent?.MessageId ?? throw new GraphCallException(GraphError.Unexpected((int)response.StatusCode, "send response without messages[0].id"));
    }

    /// <summary>Marks an inbound message read (optionally showing a typing indicator while we work).</summary>
    public async Task MarkReadAsync(string phoneNumberId, string wamid, bool typingIndicator, CancellationToken ct)
    {
        using var response = await PostAsync(phoneNumberId, CloudApiRequests.MarkRead(wamid, typingIndicator), ct);
    }

    private async Task<HttpResponseMessage> PostAsync(string phoneNumberId, string json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.MessagesUri(string.IsNullOrEmpty(phoneNumberId) ? settings.PhoneNumberId : phoneNumberId))
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new GraphCallException(GraphError.Transport(ex.Message), ex);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var errorBody = await response.Content.ReadAsStringAsync(ct);
            throw new GraphCallException(GraphError.Parse((int)response.StatusCode, errorBody, response.Headers.RetryAfter));
        }
    }
}

/// <summary>A failed Graph call with its classified error.</summary>
public sealed class GraphCallException(GraphError error, Exception? inner = null)
    : Exception($"Graph API error {error.Code}: {error.Message}", inner)
{
    public GraphError Error { get; } = error;
}
