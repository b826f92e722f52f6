using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicAi.Bench;

/// <summary>
/// The WhatsApp Cloud API as far as MicAi talks to it, on 127.0.0.1: POST /{version}/{phone id}/messages answers a
/// send with a fresh wamid and a mark-as-read with {"success":true}, checks the bearer token like Meta (401), and
/// hands every reply's context.message_id to the <see cref="ReplyTracker"/>. Media: every media id names the same
/// <see cref="MediaBytes"/> (a 100 KB photo): GET /{version}/{media id} answers Meta's lookup (url, mime_type, hex
/// sha256, file_size), GET /media/{id} the bytes; both want the token.
/// </summary>
public sealed class GraphStub : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ReplyTracker tracker;
    private readonly string authorization;
    private long sent, reads, refused;

    private GraphStub(WebApplication app, ReplyTracker tracker, string accessToken)
    {
        this.app = app;
        this.tracker = tracker;
        authorization = "Bearer " + accessToken;
    }

    public string BaseUrl { get; private set; } = "";
    public long Sent => Interlocked.Read(ref sent);
    public long Reads => Interlocked.Read(ref reads);
    public long Refused => Interlocked.Read(ref refused);
    public long MediaDownloads => Interlocked.Read(ref downloads);

    /// <summary>The photo every media message of the bench carries.</summary>
    public static readonly byte[] MediaBytes = new Random(5).GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 100 * 1024);
    private static readonly string MediaSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(MediaBytes));
    private long downloads;

    public static async Task<GraphStub> StartAsync(ReplyTracker tracker, string accessToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new GraphStub(app, tracker, accessToken);
        app.MapPost("/{version}/{phoneNumberId}/messages", stub.HandleAsync);
        app.MapGet("/{version}/{mediaId}", (HttpContext http, string mediaId) => http.Request.Headers.Authorization != stub.authorization
            ? Results.StatusCode(401)
            : Results.Json(new Dictionary<string, string>
            {
                ["messaging_product"] = "whatsapp", ["url"] = $"{stub.BaseUrl}media/{mediaId}", ["mime_type"] = "image/jpeg",
                ["sha256"] = MediaSha256, ["file_size"] = MediaBytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ["id"] = mediaId,
            }));
        app.MapGet("/media/{mediaId}", (HttpContext http) =>
        {
            if (http.Request.Headers.Authorization != stub.authorization) return Results.StatusCode(401);
            Interlocked.Increment(ref stub.downloads);
            return Results.Bytes(MediaBytes, "image/jpeg");
        });
        await app.StartAsync();
        stub.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return stub;
    }

    private async Task HandleAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        if (context.Request.Headers.Authorization != authorization)
        {
            Interlocked.Increment(ref refused);
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("""{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}""");
            return;
        }
        var body = await ReadAsync(context.Request);
        var (status, to, replyTo) = Fields(body);
        if (status == "read")
        {
            Interlocked.Increment(ref reads);
            await context.Response.WriteAsync("""{"success":true}""");
            return;
        }
        var n = Interlocked.Increment(ref sent);
        tracker.Record(replyTo);
        await context.Response.WriteAsync($$"""
            {"messaging_product":"whatsapp","contacts":[{"input":"{{to}}","wa_id":"{{to}}"}],"messages":[{"id":"wamid.STUB{{n:D12}}"}]}
            """);
    }

    private static async Task<ReadOnlySequence<byte>> ReadAsync(HttpRequest request)
    {
        while (true)
        {
            var result = await request.BodyReader.ReadAsync();
            if (result.IsCompleted)
            {
                var copy = new ReadOnlySequence<byte>(result.Buffer.ToArray());
                request.BodyReader.AdvanceTo(result.Buffer.End);
                return copy;
            }
            request.BodyReader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>status (mark-as-read), to, and context.message_id: the only fields the bench needs.</summary>
    private static (string? Status, string? To, string? ReplyTo) Fields(ReadOnlySequence<byte> body)
    {
        string? status = null, to = null, replyTo = null;
        var reader = new Utf8JsonReader(body);
        var inContext = false;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 1) inContext = false;
            if (reader.TokenType != JsonTokenType.PropertyName) continue;
            if (reader.CurrentDepth == 1 && reader.ValueTextEquals("context")) { inContext = true; continue; }
            if (reader.CurrentDepth == 1 && reader.ValueTextEquals("status")) { reader.Read(); status = reader.GetString(); }
            else if (reader.CurrentDepth == 1 && reader.ValueTextEquals("to")) { reader.Read(); to = reader.GetString(); }
            else if (inContext && reader.CurrentDepth == 2 && reader.ValueTextEquals("message_id")) { reader.Read(); replyTo = reader.GetString(); }
        }
        return (status, to, replyTo);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
