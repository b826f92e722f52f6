using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// Graph's media endpoints as the Cloud API answers them: <c>GET /{version}/{media id}</c> → <c>{messaging_product, url,
/// mime_type, sha256 (hex), file_size (a string, as in Meta's reference), id}</c>, and <c>GET url</c> → the bytes. Both
/// refuse a missing or wrong bearer token with Graph's error 190 (401), an unknown id with error 100 (400), and the
/// lookup refuses a <c>phone_number_id</c> the media does not belong to, as Graph does. The upload
/// (<c>POST /{version}/{phone number id}/media</c>, multipart) wants <c>messaging_product=whatsapp</c>, a <c>type</c> and a
/// <c>file</c> of a type Meta supports within its size limit, else Graph's error 100; it answers <c>{"id"}</c>.
/// </summary>
public sealed class GraphMediaStub
{
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string MimeType, string PhoneNumberId)> files = new();
    private readonly ConcurrentQueue<string> calls = new();

    // Meta's supported types and size limits for uploads (Cloud API "Supported media types").
    private static readonly Dictionary<string, long> UploadLimits = new()
    {
        ["image/jpeg"] = 5 << 20, ["image/png"] = 5 << 20, ["image/webp"] = 500 << 10,
        ["audio/aac"] = 16 << 20, ["audio/amr"] = 16 << 20, ["audio/mpeg"] = 16 << 20, ["audio/mp4"] = 16 << 20, ["audio/ogg"] = 16 << 20,
        ["video/mp4"] = 16 << 20, ["video/3gpp"] = 16 << 20,
        ["text/plain"] = 100 << 20, ["application/pdf"] = 100 << 20, ["application/msword"] = 100 << 20,
    };
    private int failDownloads;

    /// <summary>"lookup:{id}" and "download:{id}" for every request that reached the stub, in order.</summary>
    public IReadOnlyCollection<string> Calls => calls;

    /// <summary>Lets Meta hold a file a customer sent; returns its media id.</summary>
    public string Add(byte[] bytes, string mimeType, string phoneNumberId = Webhooks.PhoneNumberId)
    {
        var id = Random.Shared.NextInt64(1_000_000_000_000_000, 9_000_000_000_000_000).ToString();
        files[id] = (bytes, mimeType, phoneNumberId);
        return id;
    }

    /// <summary>The next <paramref name="count"/> downloads answer 500 (a transient Graph error, code 2).</summary>
    public void FailNextDownloads(int count) => Interlocked.Exchange(ref failDownloads, count);

    /// <summary>sha256 as the webhook carries it (base64).</summary>
    public static string WebhookSha256(byte[] bytes) => Convert.ToBase64String(SHA256.HashData(bytes));

    /// <summary>Uploads that reached the stub and were accepted.</summary>
    public int Uploads => calls.Count(c => c.StartsWith("upload:", StringComparison.Ordinal));

    internal void Map(WebApplication app, Func<string> baseUrl)
    {
        app.MapPost("/{version}/{phoneNumberId}/media", async (HttpContext http, string phoneNumberId) =>
        {
            if (Refuse(http) is { } refused) return refused;
            if (!http.Request.HasFormContentType) return InvalidParameter("(#100) The parameter messaging_product is required.");
            var form = await http.Request.ReadFormAsync();
            if (form["messaging_product"].ToString() != "whatsapp") return InvalidParameter("(#100) The parameter messaging_product is required.");
            if (string.IsNullOrEmpty(form["type"])) return InvalidParameter("(#100) The parameter type is required.");
            if (form.Files.GetFile("file") is not { } file) return InvalidParameter("(#100) The parameter file is required.");
            var mime = (file.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
            if (!UploadLimits.TryGetValue(mime, out var limit)) return InvalidParameter($"(#100) Param file must be a file with one of the following types: {string.Join(", ", UploadLimits.Keys)}. Received file of type '{mime}'.");
            if (file.Length > limit) return InvalidParameter($"(#100) Param file must be at most {limit} bytes.");
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer);
            var id = Add(buffer.ToArray(), mime, phoneNumberId);
            calls.Enqueue($"upload:{id}");
            return Results.Json(new JsonObject { ["id"] = id });
        });
        app.MapGet("/{version}/{mediaId}", (HttpContext http, string mediaId) =>
        {
            calls.Enqueue($"lookup:{mediaId}");
            if (Refuse(http) is { } refused) return refused;
            if (!files.TryGetValue(mediaId, out var file) || http.Request.Query["phone_number_id"] is [{ } owner] && owner != file.PhoneNumberId)
                return UnknownObject(mediaId);
            return Results.Json(new JsonObject
            {
                ["messaging_product"] = "whatsapp",
                ["url"] = $"{baseUrl()}whatsapp_business/attachments/?mid={mediaId}&ext=1768215600&hash=stub",
                ["mime_type"] = file.MimeType,
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(file.Bytes)),
                ["file_size"] = file.Bytes.Length.ToString(),
                ["id"] = mediaId,
            });
        });
        app.MapGet("/whatsapp_business/attachments/", (HttpContext http) =>
        {
            var mediaId = http.Request.Query["mid"].ToString();
            calls.Enqueue($"download:{mediaId}");
            if (Refuse(http) is { } refused) return refused;
            if (Interlocked.Decrement(ref failDownloads) >= 0)
                return Results.Text("""{"error":{"message":"An unexpected error has occurred. Please retry your request later.","type":"OAuthException","is_transient":true,"code":2,"fbtrace_id":"AStub"}}""",
                    "application/json", statusCode: 500);
            return files.TryGetValue(mediaId, out var file) ? Results.Bytes(file.Bytes, file.MimeType) : Results.NotFound();
        });
    }

    private static IResult? Refuse(HttpContext http) =>
        http.Request.Headers.Authorization.ToString() == $"Bearer {MicAiApiFactory.AccessToken}" ? null : Results.Text(
            """{"error":{"message":"Invalid OAuth access token - Cannot parse access token","type":"OAuthException","code":190,"fbtrace_id":"AStub"}}""",
            "application/json", statusCode: 401);

    private static IResult InvalidParameter(string message) => Results.Json(
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "OAuthException", ["code"] = 100, ["fbtrace_id"] = "AStub" } },
        statusCode: 400);

    private static IResult UnknownObject(string id) => Results.Text(
        $$$"""{"error":{"message":"Unsupported get request. Object with ID '{{{id}}}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"AStub"}}""",
        "application/json", statusCode: 400);
}
