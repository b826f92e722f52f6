using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicAi.Bench;

/// <summary>
/// A local OTLP/HTTP endpoint that reads every export (traces, metrics, logs) and drops it: the cost measured is the
/// exporting processes', as with a collector on the same host.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication app;
    private long posts, bytes;

    private OtlpSink(WebApplication app) => this.app = app;

    public string Endpoint { get; private set; } = "";
    public long Posts => Interlocked.Read(ref posts);
    public long Bytes => Interlocked.Read(ref bytes);

    public static async Task<OtlpSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var sink = new OtlpSink(app);
        app.Run(async context =>
        {
            var buffer = new byte[16384];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0) Interlocked.Add(ref sink.bytes, read);
            Interlocked.Increment(ref sink.posts);
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        sink.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return sink;
    }

    /// <summary>What turns tracing and metrics on in a Host role, exporting here with the SDK's default intervals.</summary>
    public IEnumerable<KeyValuePair<string, string>> Environment() =>
    [
        new("OTEL_EXPORTER_OTLP_ENDPOINT", Endpoint),
        new("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
    ];

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
