using System.Net;
using MicAi.Tests.Functions;
using MicAi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MicAi.Tests.Telemetry;

/// <summary>The published Functions worker under the stand-in host, exporting over OTLP/HTTP to a receiver in the test.</summary>
public sealed class OtlpFunctionsFixture(IMessageSink diagnostics) : FunctionsWorkerFixture(diagnostics), IAsyncLifetime
{
    private OtlpReceiver? otlp;

    public OtlpReceiver Otlp => otlp ?? throw new InvalidOperationException("The fixture did not start.");

    protected override IReadOnlyDictionary<string, string> ExtraSettings =>
        Otlp.Environment().ToDictionary(e => e.Key, e => e.Value!);

    async Task IAsyncLifetime.InitializeAsync()
    {
        otlp = await OtlpReceiver.StartAsync(); // before the worker starts: its settings point here
        await InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (otlp is not null) await otlp.DisposeAsync();
    }
}

public sealed class FunctionsTelemetryTests(OtlpFunctionsFixture fx) : IClassFixture<OtlpFunctionsFixture>
{
    [Fact]
    public async Task FunctionsWorker_ExportsTheWebhookAndWorkerPollSpans_InOneTrace_AsMicaiFunctions()
    {
        var wamid = Webhooks.NewWamid();
        var (response, invocation) = await fx.Host.InvokeHttpAsync("WebhookPost",
            Webhooks.Post(Webhooks.Text("15550007201", wamid, "michael: hello")), CancellationToken.None);
        Assert.True(invocation.Succeeded, fx.Host.Diagnostics());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var poll = await fx.Host.InvokeTimerAsync("WorkerPoll", CancellationToken.None);
        Assert.True(poll.Succeeded, fx.Host.Diagnostics());

        var spans = await fx.Otlp.WaitForAsync(s => s.Any(x => x.Kind == ReceivedSpan.Client && x.Attribute("url.full")?.EndsWith("/messages", StringComparison.Ordinal) == true
                && x.Attribute("http.request.method") == "POST") && s.Any(x => x.Kind == ReceivedSpan.Consumer && x.Attribute("micai.job.key") == wamid),
            TimeSpan.FromSeconds(30), fx.Host.Diagnostics);
        var process = Assert.Single(spans, s => s.Kind == ReceivedSpan.Consumer && s.Attribute("micai.job.key") == wamid);
        Assert.Equal("micai-functions", process.Service);
        var send = Assert.Single(spans, s => s.Kind == ReceivedSpan.Producer && s.SpanId == process.ParentSpanId);
        Assert.Equal("micai-functions", send.Service);
        Assert.Contains(spans, s => s.Service == "micai-functions" && s.TraceId == process.TraceId && s.Kind == ReceivedSpan.Client
                                    && s.Attribute("url.full")?.EndsWith("/messages", StringComparison.Ordinal) == true);
        Assert.Contains("micai-functions", fx.Otlp.MetricPosts);
    }
}
