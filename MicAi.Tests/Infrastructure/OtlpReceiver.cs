using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MicAi.Tests.Infrastructure;

/// <summary>One span as an OTLP exporter sent it: ids in hex, its service, its attributes as strings, its links.</summary>
public sealed record ReceivedSpan(
    string Service, string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind,
    IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<(string TraceId, string SpanId)> Links)
{
    public const int Server = 2, Client = 3, Producer = 4, Consumer = 5;

    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);
}

/// <summary>
/// An OTLP/HTTP receiver on 127.0.0.1 as a collector is one: <c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>
/// with <c>application/x-protobuf</c> bodies, answered 200 with an empty Export*ServiceResponse. Spans are decoded with
/// a minimal reader of the OTLP protobuf messages (opentelemetry-proto trace/v1, common/v1, resource/v1: only the
/// fields read here; unknown fields are skipped as protobuf allows); metric and log posts are counted.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedSpan> spans = new();
    private readonly ConcurrentQueue<string> metricPosts = new();

    private OtlpReceiver(WebApplication app) => this.app = app;

    public string Endpoint { get; private set; } = "";
    public IReadOnlyCollection<ReceivedSpan> Spans => spans;

    /// <summary>Services that posted metrics (one entry per post).</summary>
    public IReadOnlyCollection<string> MetricPosts => metricPosts;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", receiver.TracesAsync);
        app.MapPost("/v1/metrics", receiver.MetricsAsync);
        app.MapPost("/v1/logs", (HttpContext c) => Empty(c));
        await app.StartAsync();
        receiver.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    /// <summary>The standard variables that point an OpenTelemetry SDK here, exporting quickly.</summary>
    public Dictionary<string, string?> Environment() => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    public async Task<IReadOnlyList<ReceivedSpan>> WaitForAsync(Func<IReadOnlyCollection<ReceivedSpan>, bool> condition, TimeSpan timeout, Func<string> explain)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition(spans))
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"spans not seen within {timeout}; received:\n{string.Join('\n', spans.Select(Describe))}\n{explain()}");
            await Task.Delay(100);
        }
        return spans.ToList();
    }

    public static string Describe(ReceivedSpan s) =>
        $"{s.Service} {s.Scope} kind={s.Kind} '{s.Name}' trace={s.TraceId} span={s.SpanId} parent={s.ParentSpanId} " +
        string.Join(' ', s.Attributes.Select(a => $"{a.Key}={a.Value}"));

    private async Task TracesAsync(HttpContext context)
    {
        foreach (var resourceSpans in Fields(await BodyAsync(context), 1))
        {
            var service = ServiceName(Fields(resourceSpans, 1).FirstOrDefault());
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                var scope = Fields(scopeSpans, 1).Select(s => Strings(s, 1).FirstOrDefault()).FirstOrDefault() ?? "";
                foreach (var span in Fields(scopeSpans, 2)) spans.Enqueue(Span(service, scope, span));
            }
        }
        await Empty(context);
    }

    private async Task MetricsAsync(HttpContext context)
    {
        foreach (var resourceMetrics in Fields(await BodyAsync(context), 1))
            metricPosts.Enqueue(ServiceName(Fields(resourceMetrics, 1).FirstOrDefault()));
        await Empty(context);
    }

    private static async Task<ByteString> BodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return ByteString.CopyFrom(buffer.ToArray());
    }

    private static Task Empty(HttpContext context)
    {
        context.Response.ContentType = "application/x-protobuf";
        return Task.CompletedTask;
    }

    private static ReceivedSpan Span(string service, string scope, ByteString span) => new(
        service, scope, Hex(Fields(span, 1).FirstOrDefault()), Hex(Fields(span, 2).FirstOrDefault()), Hex(Fields(span, 4).FirstOrDefault()),
        Strings(span, 5).FirstOrDefault() ?? "", (int)Varints(span, 6).FirstOrDefault(),
        Attributes(span, 9), Fields(span, 13).Select(l => (Hex(Fields(l, 1).FirstOrDefault()), Hex(Fields(l, 2).FirstOrDefault()))).ToList());

    private static string ServiceName(ByteString? resource) =>
        resource is null ? "" : Attributes(resource, 1).GetValueOrDefault("service.name", "");

    /// <summary>KeyValue { key = 1; AnyValue value = 2 { string = 1; bool = 2; int = 3; double = 4 } }, as text.</summary>
    private static Dictionary<string, string> Attributes(ByteString message, int field)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var kv in Fields(message, field))
        {
            var key = Strings(kv, 1).FirstOrDefault() ?? "";
            var value = Fields(kv, 2).FirstOrDefault();
            attributes[key] = value is null ? "" : Strings(value, 1).FirstOrDefault() ?? Varints(value, 3).Select(v => ((long)v).ToString()).FirstOrDefault()
                ?? Varints(value, 2).Select(v => v != 0 ? "true" : "false").FirstOrDefault() ?? "";
        }
        return attributes;
    }

    private static string Hex(ByteString? bytes) => bytes is null ? "" : Convert.ToHexStringLower(bytes.ToByteArray());

    private static IEnumerable<string> Strings(ByteString message, int field) => Fields(message, field).Select(b => b.ToStringUtf8());

    private static List<ByteString> Fields(ByteString message, int field) =>
        Read(message).Where(f => f.Field == field && f.Bytes is not null).Select(f => f.Bytes!).ToList();

    private static List<ulong> Varints(ByteString message, int field) =>
        Read(message).Where(f => f.Field == field && f.Bytes is null).Select(f => f.Number).ToList();

    /// <summary>The protobuf wire format: each field's number with its bytes (length-delimited) or its number.</summary>
    private static List<(int Field, ByteString? Bytes, ulong Number)> Read(ByteString message)
    {
        var fields = new List<(int, ByteString?, ulong)>();
        var input = new CodedInputStream(message.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.Varint: fields.Add((field, null, input.ReadUInt64())); break;
                case WireFormat.WireType.Fixed64: fields.Add((field, null, input.ReadFixed64())); break;
                case WireFormat.WireType.Fixed32: fields.Add((field, null, input.ReadFixed32())); break;
                case WireFormat.WireType.LengthDelimited: fields.Add((field, input.ReadBytes(), 0)); break;
                default: input.SkipLastField(); break;
            }
        }
        return fields;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
