using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Media;

/// <summary>What <c>GET /{version}/{media id}</c> answers: a short-lived URL and what Meta knows of the file.</summary>
public sealed record MediaLookup(Uri Url, string MimeType, string? Sha256, long? FileSize);

/// <summary>A failed media call: <see cref="Retryable"/> false means trying again cannot help.</summary>
public sealed class MediaFetchException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;

    /// <summary>The file breaks our size limit (recorded 'rejected', not 'failed').</summary>
    public bool OverLimit { get; init; }
}

/// <summary>
/// Graph's media endpoints: the lookup (<c>GET /{version}/{media id}?phone_number_id=…</c> → url, mime_type, sha256,
/// file_size) and the download (<c>GET url</c>, which also needs the bearer token). The download is read with a hard
/// byte limit, so a file larger than it says cannot fill the memory; and the upload of a file to send.
/// </summary>
public sealed class GraphMediaClient(HttpClient http, WhatsAppSettings settings)
{
    public const string HttpClientName = "graph-media";

    public async Task<MediaLookup> LookupAsync(string mediaId, string phoneNumberId, CancellationToken ct)
    {
        var uri = new Uri(settings.GraphBaseUrl,
            $"{settings.GraphVersion}/{Uri.EscapeDataString(mediaId)}?phone_number_id={Uri.EscapeDataString(phoneNumberId)}");
        using var response = await SendAsync(uri, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        using var doc = JsonDocument.Parse(body);
        var o = doc.RootElement;
        if (o.Str("url") is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || o.Str("mime_type") is not { } mime)
            throw new MediaFetchException("media lookup answered without url or mime_type", retryable: true);
        return new MediaLookup(parsed, mime, o.Str("sha256"), FileSize(o));
    }

    /// <summary>The file's bytes; more than <paramref name="maxBytes"/> is refused before it is all read.</summary>
    public async Task<byte[]> DownloadAsync(Uri url, long maxBytes, CancellationToken ct)
    {
        using var response = await SendAsync(url, ct);
        if (response.Content.Headers.ContentLength > maxBytes)
            throw new MediaFetchException($"media is {response.Content.Headers.ContentLength} bytes, over the limit of {maxBytes}", retryable: false) { OverLimit = true };
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw new MediaFetchException($"media is over the limit of {maxBytes} bytes", retryable: false) { OverLimit = true };
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Uploads a file for sending (<c>POST /{version}/{phone number id}/media</c>, multipart: messaging_product, type,
    /// file) and returns Graph's media id. A POST: retried only by the job, like a send.
    /// </summary>
    public async Task<string> UploadAsync(string phoneNumberId, byte[] bytes, string mimeType, string filename, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("whatsapp"), "messaging_product");
        form.Add(new StringContent(mimeType), "type");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(mimeType);
        form.Add(file, "file", filename);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.GraphBaseUrl, $"{settings.GraphVersion}/{phoneNumberId}/media")) { Content = form };
        using var response = await SendAsync(request, ct);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(ct));
        return doc.RootElement.NonEmpty("id") ?? throw new MediaFetchException("media upload answered without an id", retryable: true);
    }

    private async Task<HttpResponseMessage> SendAsync(Uri uri, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        return await SendAsync(request, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is HttpRequestException or TaskCanceledException)
        {
            throw new MediaFetchException($"media request failed: {ex.Message}", retryable: true, ex);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var error = GraphError.Parse((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
            throw new MediaFetchException($"Graph answered {(int)response.StatusCode}: {error.Message}", error.IsRetryable);
        }
    }

    // Meta's reference shows file_size as a string ("303833"); older answers gave a number.
    private static long? FileSize(JsonElement o) => o.Prop("file_size") switch
    {
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var v) => v,
        { ValueKind: JsonValueKind.String } s when long.TryParse(s.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) => v,
        _ => null,
    };
}
