using System.Net.Http.Headers;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Outbox;

/// <summary>
/// WhatsApp Cloud API client: POST {graph base}/{version}/{phone number id}/messages with the bearer token.
/// Throws <see cref="GraphCallException"/> with the parsed Graph error on any failure.
/// </summary>
public sealed class CloudApiClient(HttpClient http, WhatsAppSettings settings, TimeProvider time)
{
    public const string HttpClientName = "graph";
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    /// <returns>The provider message id (wamid) Meta assigned.</returns>
    public async Task<string> SendAsync(ClaimedSend send, CancellationToken ct)
    {
        var body = send.Kind switch
        {
            "template" => CloudApiRequests.Template(send.WaId, send.TemplateName!, send.TemplateLanguage ?? "en_US",
                send.Template ?? new TemplateMessage { BodyParams = send.TemplateParams }, send.IdempotencyKey),
            _ when send.Content is { } content => CloudApiRequests.Rich(send.WaId, new OutboundContent(send.Kind, content),
                settings.ReplyThreading ? send.ContextMessageId : null, send.IdempotencyKey),
            _ => CloudApiRequests.Text(send.WaId, send.Body ?? "", settings.ReplyThreading ? send.ContextMessageId : null,
                send.IdempotencyKey),
        };
        using var response = await PostAsync(send.PhoneNumberId, body, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var sent = GraphResponses.ParseSend(bytes);
        // A 2xx without an id: Meta may well have accepted it, so resending could duplicate.
        return sent?.MessageId ?? throw new GraphCallException(
            GraphError.FromStatus((int)response.StatusCode) with { Message = "send response without messages[0].id" }, maybeDelivered: true);
    }

    /// <summary>Marks an inbound message read (optionally showing a typing indicator while we work).</summary>
    public async Task MarkReadAsync(string phoneNumberId, string wamid, bool typingIndicator, CancellationToken ct)
    {
        using var response = await PostAsync(phoneNumberId, CloudApiRequests.MarkRead(wamid, typingIndicator), ct);
    }

    private async Task<HttpResponseMessage> PostAsync(string phoneNumberId, byte[] json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.MessagesUri(string.IsNullOrEmpty(phoneNumberId) ? settings.PhoneNumberId : phoneNumberId))
        {
            Content = new ByteArrayContent(json) { Headers = { ContentType = JsonContentType } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && GraphTransport.IsTransportFailure(ex))
        {
            throw new GraphCallException(GraphError.Transport(ex.Message), null, ex, maybeDelivered: !GraphTransport.NeverSent(ex));
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var errorBody = await response.Content.ReadAsStringAsync(ct);
            throw new GraphCallException(GraphError.Parse((int)response.StatusCode, errorBody), GraphError.RetryAfter(response.Headers.RetryAfter, time.GetUtcNow()));
        }
    }
}

/// <summary>A failed Graph call with its classified error.</summary>
public sealed class GraphCallException(GraphError error, TimeSpan? retryAfter = null, Exception? inner = null, bool maybeDelivered = false)
    : Exception($"Graph API error {error.Code?.ToString() ?? "HTTP " + error.HttpStatus}: {error.Message}", inner)
{
    public GraphError Error { get; } = error;

    /// <summary>What the Retry-After header asked for, if anything.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>
    /// The request may have reached Meta (timeout or connection lost after sending): the outcome is unknown and a
    /// blind resend could deliver the message twice.
    /// </summary>
    public bool MaybeDelivered { get; } = maybeDelivered;
}
