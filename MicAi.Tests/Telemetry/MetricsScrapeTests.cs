using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Core.Configuration;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using MicAi.Tests.EndToEnd;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Telemetry;

/// <summary>
/// GET /metrics of a real Host process (role all) after real traffic: behind the admin key, parsed by Prometheus'
/// own promtool, and holding every series the alert rules and the Grafana dashboard read.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class MetricsScrapeTests
{
    [Fact]
    public async Task Metrics_Returns401Problem_WithoutTheAdminKey_AndTheTextFormat_WithItAsBearer()
    {
        await using var graph = await GraphStub.StartAsync();
        await using var api = await HostProcess.StartApiAsync(await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl));
        using var http = new HttpClient { BaseAddress = api.BaseAddress };

        var anonymous = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ScrapeAsync(http, "wrong-key")).StatusCode);

        var scrape = await ScrapeAsync(http, MicAiApiFactory.AdminKey);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Equal("text/plain", scrape.Content.Headers.ContentType?.MediaType);
        Assert.Contains("micai_queue_lag_seconds", await scrape.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MetricsAfterTraffic_PassPromtoolCheck_AndHoldEverySeriesTheAlertsAndDashboardRead()
    {
        await using var graph = await GraphStub.StartAsync();
        await using var llm = await JsonStub.StartAsync(_ => StubScripts.ChatCompletion("Hello from the model"));
        var env = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
        env["MICAI_LLM_BASE_URL"] = llm.BaseUrl + "v1";
        env[WhatsAppSettings.Keys.MarkAsRead] = "false";
        await using var all = await HostProcess.StartApiAsync(env, ["all"]);
        await using var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(env[StorageSettings.Keys.DatabaseUrl]!));
        using var http = new HttpClient { BaseAddress = all.BaseAddress };
        http.DefaultRequestHeaders.Add("x-admin-key", MicAiApiFactory.AdminKey);

        // An LLM agent for one contact; a Graph error (code 2, retried) for another; a schedule inside and one outside the window.
        var agent = await http.PostAsJsonAsync("admin/agents", new { name = "chatty", fallback_reply = "Fallback.", llm_enabled = true });
        Assert.Equal(HttpStatusCode.Created, agent.StatusCode);
        var agentId = (await agent.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"admin/bind/15550007002/{agentId}", null)).StatusCode);
        graph.RefuseFirstMessageWith500("15550007001");
        await db.ExecuteAsync("INSERT INTO contacts (wa_id, last_inbound_at) VALUES ('15550007010', now()), ('15550007011', now() - interval '3 days')");
        await db.ExecuteAsync("INSERT INTO schedules (wa_id, message_text, interval_minutes, next_run_at) VALUES ('15550007010', 'Digest', 10080, now()), ('15550007011', 'Digest', 10080, now())");

        var repeated = Webhooks.Text("15550007003", Webhooks.NewWamid(), "michael: hello");
        foreach (var body in new[] { Webhooks.Text("15550007001", Webhooks.NewWamid(), "michael: hello"), Webhooks.Text("15550007002", Webhooks.NewWamid(), "michael: tell me"), repeated, repeated })
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Webhooks.Post(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Webhooks.Post(repeated, secret: "not-the-app-secret"))).StatusCode);

        await WaitUntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status IN ('sent', 'skipped')") >= 5,
            TimeSpan.FromSeconds(60), () => all.Output);
        var text = await (await ScrapeAsync(http, MicAiApiFactory.AdminKey)).Content.ReadAsStringAsync();

        var (exit, output) = await Promtool.RunAsync(text, "check", "metrics");
        Assert.True(exit == 0, $"promtool check metrics: {output}\n{text}");
        var lines = text.Split('\n').Where(l => !l.StartsWith('#')).ToList();
        var missing = Promtool.Expressions().SelectMany(Promtool.Selectors)
            .Where(s => !lines.Any(l => l.StartsWith(s.Metric + "{", StringComparison.Ordinal) || l.StartsWith(s.Metric + " ", StringComparison.Ordinal))
                        || s.Labels.Any(label => !lines.Any(l => l.StartsWith(s.Metric, StringComparison.Ordinal) && l.Contains(label + "=\"", StringComparison.Ordinal))))
            .Select(s => $"{s.Metric} {{{string.Join(',', s.Labels)}}}").Distinct().ToList();
        Assert.True(missing.Count == 0, $"series the alerts or the dashboard read but the scrape lacks:\n{string.Join('\n', missing)}\n\n{text}");
        Assert.Contains(lines, l => l.StartsWith("micai_webhook_messages_total{", StringComparison.Ordinal) && l.Contains("outcome=\"duplicate\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("micai_outbound_sends_total{", StringComparison.Ordinal) && l.Contains("whatsapp_error_code=\"2\"", StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> ScrapeAsync(HttpClient http, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http.SendAsync(request);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> explain)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail("timed out: " + explain());
            await Task.Delay(200);
        }
    }
}
