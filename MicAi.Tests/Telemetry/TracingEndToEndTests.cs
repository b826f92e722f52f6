using MicAi.Core.WhatsApp;
using MicAi.Tests.EndToEnd;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Telemetry;

/// <summary>
/// One trace per message across processes: the published api and worker export over OTLP/HTTP to a receiver in this
/// test, which decodes the protobuf. The api's server span, its producer span, the worker's process span and the Graph
/// call's client span share one trace id, and a retry through the delayed set stays in it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TracingEndToEndTests
{
    /// <summary>A Graph stub, an OTLP receiver, and the api and worker exporting to it.</summary>
    private sealed class Traced : IAsyncDisposable
    {
        public required GraphStub Graph { get; init; }
        public required OtlpReceiver Otlp { get; init; }
        public required Dictionary<string, string?> Env { get; init; }
        public required HostProcess Api { get; init; }
        public required HostProcess Worker { get; init; }

        public static async Task<Traced> StartAsync(Action<Dictionary<string, string?>>? configure = null)
        {
            var graph = await GraphStub.StartAsync();
            var otlp = await OtlpReceiver.StartAsync();
            var env = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
            foreach (var (k, v) in otlp.Environment()) env[k] = v;
            env[WhatsAppSettings.Keys.MarkAsRead] = "false"; // the only Graph call is then the reply
            configure?.Invoke(env);
            return new Traced { Graph = graph, Otlp = otlp, Env = env, Api = await HostProcess.StartApiAsync(env), Worker = HostProcess.Start(["worker"], env) };
        }

        public async Task PostAsync(string from, string wamid, string text)
        {
            using var http = new HttpClient { BaseAddress = Api.BaseAddress };
            Assert.True((await http.SendAsync(Webhooks.Post(Webhooks.Text(from, wamid, text)))).IsSuccessStatusCode);
        }

        public async ValueTask DisposeAsync()
        {
            await Worker.DisposeAsync();
            await Api.DisposeAsync();
            await Otlp.DisposeAsync();
            await Graph.DisposeAsync();
        }
    }

    [Fact]
    public async Task ApiAndWorkerSpans_ShareOneTraceId_FromWebhookToTheGraphCall()
    {
        await using var t = await Traced.StartAsync();
        var (otlp, worker, wamid) = (t.Otlp, t.Worker, Webhooks.NewWamid());
        await t.PostAsync("15550001234", wamid, "michael: hello");

        // The process span ends after the Graph call's, so it may come in a later export: wait for both.
        var spans = await otlp.WaitForAsync(s => s.Any(IsGraphSend) && s.Any(x => IsProcessing(x, wamid)), TimeSpan.FromSeconds(30), () => worker.Output);
        var process = Assert.Single(spans, s => s.Service == "micai-worker" && s.Kind == ReceivedSpan.Consumer && s.Attribute("micai.job.key") == wamid);
        var trace = process.TraceId;
        var server = Assert.Single(spans, s => s.Service == "micai-api" && s.Kind == ReceivedSpan.Server && s.TraceId == trace);
        Assert.Equal("POST /webhook", server.Name);
        var send = Assert.Single(spans, s => s.Service == "micai-api" && s.Kind == ReceivedSpan.Producer && s.TraceId == trace);
        Assert.Equal(server.SpanId, send.ParentSpanId);
        // The process span continues the creation context (parent) and links to it, as the messaging conventions allow.
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Contains((trace, send.SpanId), process.Links);
        Assert.Equal("process jobs", process.Name);
        var call = Assert.Single(spans, s => IsGraphSend(s) && s.TraceId == trace);
        Assert.Equal("micai-worker", call.Service);
        Assert.Contains(spans, s => s.Service == "micai-worker" && s.TraceId == trace && s.Scope.Contains("Npgsql", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(spans, s => s.Service == "micai-worker" && s.TraceId == trace && s.Scope.Contains("Redis", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task RetriedJob_IsProcessedAgainInTheSameTrace_AfterTheDelayedSet()
    {
        await using var t = await Traced.StartAsync();
        await using var scheduler = HostProcess.Start(["scheduler"], t.Env); // promotes the due retry
        var (otlp, worker, wamid) = (t.Otlp, t.Worker, Webhooks.NewWamid());
        t.Graph.RefuseFirstMessageWith500("15550004321");
        await t.PostAsync("15550004321", wamid, "michael: hello");

        var spans = await otlp.WaitForAsync(s => s.Count(IsGraphSend) >= 2 && s.Count(x => IsProcessing(x, wamid)) >= 2,
            TimeSpan.FromSeconds(60), () => worker.Output + scheduler.Output);
        var attempts = spans.Where(s => s.Kind == ReceivedSpan.Consumer && s.Attribute("micai.job.key") == wamid).ToList();
        Assert.Equal(["1", "2"], attempts.Select(a => a.Attribute("micai.job.attempt")).Order());
        var trace = Assert.Single(attempts.Select(a => a.TraceId).Distinct());
        Assert.Equal(2, spans.Count(s => IsGraphSend(s) && s.TraceId == trace));
        Assert.Contains(spans, s => s.Service == "micai-api" && s.Kind == ReceivedSpan.Server && s.TraceId == trace);
    }

    [Fact]
    public async Task WorkerJsonLog_CarriesTraceAndSpanIds_JobIdAndWamid_AndRedactsThePhone()
    {
        // The one line that names who and what is at Debug.
        await using var t = await Traced.StartAsync(env => env["Logging__LogLevel__MicAi.Core.Agents.Responder"] = "Debug");
        var (otlp, worker, wamid) = (t.Otlp, t.Worker, Webhooks.NewWamid());
        await t.PostAsync("15550005678", wamid, "michael: my secret");
        await worker.WaitForOutputAsync("\"EventId\":8300", TimeSpan.FromSeconds(30));

        var line = worker.Output.Split('\n').Single(l => l.Contains("\"EventId\":8300", StringComparison.Ordinal));
        var json = System.Text.Json.Nodes.JsonNode.Parse(line)!;
        Assert.Equal("***5678", json["State"]!["WaId"]!.GetValue<string>());
        Assert.DoesNotContain("15550005678", line);
        Assert.DoesNotContain("my secret", line);
        var scopes = json["Scopes"]!.AsArray().Select(s => s!.AsObject()).ToList();
        var traceId = scopes.Select(s => s["TraceId"]?.GetValue<string>()).Single(t => t is not null);
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Contains(scopes, s => s["SpanId"]?.GetValue<string>() is { Length: 16 });
        Assert.Contains(scopes, s => s["Wamid"]?.GetValue<string>() == wamid && s["JobId"]?.GetValue<string>() is { Length: > 0 });
        var spans = await otlp.WaitForAsync(s => s.Any(x => x.Kind == ReceivedSpan.Consumer && x.Attribute("micai.job.key") == wamid),
            TimeSpan.FromSeconds(30), () => worker.Output);
        Assert.Equal(traceId, spans.Single(x => x.Kind == ReceivedSpan.Consumer && x.Attribute("micai.job.key") == wamid).TraceId);
    }

    private static bool IsProcessing(ReceivedSpan s, string wamid) => s.Kind == ReceivedSpan.Consumer && s.Attribute("micai.job.key") == wamid;

    private static bool IsGraphSend(ReceivedSpan s) =>
        s.Kind == ReceivedSpan.Client && s.Attribute("url.full") is { } url && url.EndsWith("/messages", StringComparison.Ordinal)
        && s.Attribute("http.request.method") == "POST";
}
