using System.Net;
using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.EndToEnd;

/// <summary>
/// The published Host as three OS processes (api, worker, scheduler) on the real servers, with the Graph API
/// pointed at a stub on 127.0.0.1: the multi-process model proven end to end.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class MultiProcessTests
{
    private static async Task<Dictionary<string, string?>> EnvironmentAsync(GraphStub graph, bool outbound)
    {
        var env = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
        env[OutboundSettings.Keys.ReplyEnabled] = outbound ? "true" : "false";
        return env;
    }

    private static async Task<(int Accepted, string[] Senders)> PostFiftyWithTenRepeatsAsync(Uri api)
    {
        using var http = new HttpClient { BaseAddress = api };
        var senders = Enumerable.Range(0, 40).Select(i => $"1555{i:D7}").ToArray();
        var bodies = senders.Select(s => Webhooks.Text(s, Webhooks.NewWamid(), $"michael: hello from {s}")).ToList();
        bodies.AddRange(bodies.Take(10).ToList()); // Meta redelivers ten of them
        var accepted = 0;
        foreach (var body in bodies)
        {
            var response = await http.SendAsync(Webhooks.Post(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            accepted++;
        }
        return (accepted, senders);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> explain)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("timed out: " + explain());
    }

    [Fact]
    public async Task ThreeProcesses_AnswerFortyMessagesExactlyOnce_WhenTenAreRedelivered_AndSendADueScheduleOnce()
    {
        await using var graph = await GraphStub.StartAsync();
        var env = await EnvironmentAsync(graph, outbound: true);
        await using var api = await HostProcess.StartApiAsync(env);
        await using var worker = HostProcess.Start(["worker"], env);
        await using var scheduler = HostProcess.Start(["scheduler"], env);
        await using var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(env[StorageSettings.Keys.DatabaseUrl]!));

        var (accepted, senders) = await PostFiftyWithTenRepeatsAsync(api.BaseAddress);
        Assert.Equal(50, accepted);
        // Free-form text goes only to someone who wrote within the 24-hour window (else it is skipped, see WindowGate).
        await db.ExecuteAsync("INSERT INTO contacts (wa_id, last_inbound_at) VALUES ('15559999000', now())");
        await db.ExecuteAsync("INSERT INTO schedules (wa_id, message_text, interval_minutes, next_run_at) VALUES ('15559999000', 'Weekly digest', 10080, now())");

        await WaitUntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'sent'") >= 41,
            TimeSpan.FromSeconds(30), () => $"worker:\n{worker.Output}\nscheduler:\n{scheduler.Output}");
        await Task.Delay(500); // let any duplicate show itself

        var replies = graph.Messages.Where(m => m.To!.StartsWith("1555", StringComparison.Ordinal) && m.To != "15559999000").ToList();
        Assert.Equal(40, replies.Count);
        Assert.Equal(senders.Order(), replies.Select(r => r.To!).Order());
        Assert.All(replies, r =>
        {
            Assert.Equal($"Bearer {MicAiApiFactory.AccessToken}", r.Authorization);
            Assert.Equal($"I heard: hello from {r.To}. I can help with weather or reminders. Say \"help\" to see what I can do.", r.TextBody);
        });
        Assert.Equal("Weekly digest", Assert.Single(graph.Messages, m => m.To == "15559999000").TextBody);
        Assert.Equal(40L, await db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'sent' AND idempotency_key LIKE 'reply:%'"));
        Assert.Equal(40L, await db.ScalarAsync<long>("SELECT count(*) FROM inbound_messages"));
    }

    [Fact]
    public async Task ThreeProcesses_RecordSuppressedRows_AndCallNothing_WhenOutboundIsDisabled()
    {
        await using var graph = await GraphStub.StartAsync();
        var env = await EnvironmentAsync(graph, outbound: false);
        await using var api = await HostProcess.StartApiAsync(env);
        await using var worker = HostProcess.Start(["worker"], env);
        await using var scheduler = HostProcess.Start(["scheduler"], env);
        await using var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(env[StorageSettings.Keys.DatabaseUrl]!));

        await PostFiftyWithTenRepeatsAsync(api.BaseAddress);
        await WaitUntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'suppressed'") >= 40,
            TimeSpan.FromSeconds(30), () => worker.Output);

        Assert.Empty(graph.Requests);
        Assert.Equal(40L, await db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages"));
    }

    [Fact]
    public async Task Api_RefusesToStartInProd_NamingEveryOffendingVariable()
    {
        await using var host = HostProcess.Start(["api"], new Dictionary<string, string?>
        {
            [AppSettings.Keys.AppEnv] = "prod",
            [AdminSettings.Keys.ApiKey] = "dev-admin-key",
            [WhatsAppSettings.Keys.VerifyToken] = "change-me-verify",
        });
        Assert.NotEqual(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        foreach (var key in SettingsCatalog.RequiredInProd) Assert.Contains(key, host.Output);
    }
}
