using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicAi.Tests.Infrastructure;

/// <summary>One request the stub received.</summary>
public sealed record GraphRequest(string Path, string? Authorization, JsonObject Body, DateTimeOffset At)
{
    public string? To => Body["to"]?.GetValue<string>();
    public string? Type => Body["type"]?.GetValue<string>();
    public string? TextBody => Body["text"]?["body"]?.GetValue<string>();
}

/// <summary>
/// A stand-in for the WhatsApp Cloud API on 127.0.0.1 speaking its wire format: POST /{version}/{phone id}/messages
/// answers like graph/send_text_success.json with a fresh wamid; <see cref="Respond"/> scripts errors.
/// </summary>
public sealed class GraphStub : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<GraphRequest> requests = new();
    private volatile Func<GraphRequest, (int Status, string Body, string? RetryAfter)?>? responder;
    private int counter;

    private GraphStub(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Graph's media endpoints: the lookup, the download (both want the bearer token), and the files they serve.</summary>
    public GraphMediaStub Media { get; } = new();
    public IReadOnlyCollection<GraphRequest> Requests => requests;
    public IEnumerable<GraphRequest> Messages => requests.Where(r => r.Type is not null);

    /// <summary>
    /// Why a pause did not hold, or null when it did: no message may arrive later than <paramref name="grace"/> after
    /// the pause was answered (stored and announced, so no worker could know of it earlier). The text says how long
    /// the answer took and when each late message came, so a slow machine is told apart from a switch that leaks.
    /// </summary>
    public string? SentAfterPause(DateTimeOffset askedAt, DateTimeOffset answeredAt, TimeSpan grace)
    {
        var late = Messages.Where(m => m.At > answeredAt + grace).Select(m => (m.At - answeredAt).TotalMilliseconds).ToArray();
        return late.Length == 0 ? null
            : $"the pause was answered {(answeredAt - askedAt).TotalMilliseconds:F0} ms after it was asked for; {late.Length} messages reached Graph over {grace.TotalMilliseconds:F0} ms after that, at +{string.Join(", +", late.Select(ms => ms.ToString("F0")))} ms";
    }

    /// <summary>How long each answer takes after the request is recorded (a slow Meta keeps sends in flight).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Scripts the answer: return null for the default success.</summary>
    public void Respond(Func<GraphRequest, (int Status, string Body, string? RetryAfter)?> script) => responder = script;

    /// <summary>
    /// Meta refuses the first message to <paramref name="to"/> with HTTP 500 (error code 2, transient; retryable) and
    /// takes every other request, the retry of that message too.
    /// </summary>
    public void RefuseFirstMessageWith500(string to)
    {
        var refused = 0;
        Respond(r => r.Type is not null && r.To == to && Interlocked.Exchange(ref refused, 1) == 0
            ? Outbox.OutboxHost.Fixture("graph/error_2_transient_500.json")
            : null);
    }

    public static async Task<GraphStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stub = new GraphStub(app);
        app.MapPost("/{version}/{phoneNumberId}/messages", stub.HandleAsync);
        stub.Media.Map(app, () => stub.BaseUrl);
        await app.StartAsync();
        stub.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return stub;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var at = DateTimeOffset.UtcNow; // arrival, before the body is read (pacing tests measure this)
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync()) as JsonObject ?? [];
        var request = new GraphRequest(context.Request.Path, context.Request.Headers.Authorization, body, at);
        requests.Enqueue(request);
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency);
        if (responder?.Invoke(request) is { } scripted)
        {
            context.Response.StatusCode = scripted.Status;
            if (scripted.RetryAfter is not null) context.Response.Headers.RetryAfter = scripted.RetryAfter;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(scripted.Body);
            return;
        }
        context.Response.ContentType = "application/json";
        if (body["status"]?.GetValue<string>() == "read")
        {
            await context.Response.WriteAsync("""{"success":true}""");
            return;
        }
        var id = $"wamid.STUB{Interlocked.Increment(ref counter):D8}";
        await context.Response.WriteAsync($$"""
            {"messaging_product":"whatsapp","contacts":[{"input":"{{body["to"]}}","wa_id":"{{body["to"]}}"}],"messages":[{"id":"{{id}}"}]}
            """);
    }

    public async Task<bool> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < until)
        {
            if (Messages.Count() >= count) return true;
            await Task.Delay(50);
        }
        return Messages.Count() >= count;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
