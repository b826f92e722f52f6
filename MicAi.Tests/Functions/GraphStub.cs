using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicAi.Tests.Functions;

/// <summary>
/// The WhatsApp Graph API, faked on 127.0.0.1: records every request and answers with Meta's recorded success
/// bodies (TestData/meta/graph), so the worker process sends for real over HTTP.
/// </summary>
public sealed class GraphStub : IAsyncDisposable
{
    private readonly WebApplication app;

    private GraphStub(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<GraphRequest> Requests { get; } = new();

    public static async Task<GraphStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = default(GraphStub);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            stub!.Requests.Enqueue(new GraphRequest(context.Request.Method, context.Request.Path, context.Request.Headers.Authorization.ToString(), body));
            // Mark-as-read and sends share the /messages endpoint; Meta answers them differently.
            var fixture = body.Contains("\"status\"", StringComparison.Ordinal) ? "mark_read_success.json" : "send_text_success.json";
            context.Response.ContentType = "application/json";
            await context.Response.SendFileAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "meta", "graph", fixture), context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        stub = new GraphStub(app, new Uri(address.TrimEnd('/') + "/"));
        return stub;
    }

    /// <summary>Sends (not mark-as-read), waiting briefly: the worker may still be finishing its HTTP call.</summary>
    public async Task<IReadOnlyList<GraphRequest>> SendsAsync(int atLeast, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var sends = Requests.Where(r => !r.Body.Contains("\"status\"", StringComparison.Ordinal)).ToList();
            if (sends.Count >= atLeast || DateTime.UtcNow > until) return sends;
            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}

public sealed record GraphRequest(string Method, PathString Path, string Authorization, string Body);
