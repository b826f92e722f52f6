using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Core.Configuration;
using MicAi.Core.Storage;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.EndToEnd;

/// <summary>
/// The operator story over the published Host as three processes (api, worker, scheduler) and the Graph stub: a
/// customer asks for a person, the bot goes quiet, an operator answers through the admin API (once, however often
/// the request is repeated), releases the handover, and the bot answers again; the timeline shows all of it in order
/// with the delivery statuses Meta's status webhooks reported.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class OperatorStoryEndToEndTests
{
    private const string Customer = "15550007777";

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> explain)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("timed out: " + explain());
    }

    [Fact]
    public async Task OperatorStory_HandoverQuietsTheBot_OperatorReplyIsSentOnce_ReleaseResumesIt_AndTheTimelineShowsItAllWithStatuses()
    {
        await using var graph = await GraphStub.StartAsync();
        var env = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
        await using var api = await HostProcess.StartApiAsync(env);
        await using var worker = HostProcess.Start(["worker"], env);
        await using var scheduler = HostProcess.Start(["scheduler"], env);
        await using var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(env[StorageSettings.Keys.DatabaseUrl]!));
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        using var admin = new HttpClient { BaseAddress = api.BaseAddress };
        admin.DefaultRequestHeaders.Add("x-admin-key", MicAiApiFactory.AdminKey);
        string Explain() => $"graph: {string.Join(" | ", Texts())}\nworker:\n{worker.Output}\nscheduler:\n{scheduler.Output}";
        string[] Texts() => [.. graph.Messages.Where(m => m.To == Customer).Select(m => m.TextBody ?? "")];

        async Task SayAsync(string text, int expectSent)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Webhooks.Post(Webhooks.Text(Customer, Webhooks.NewWamid(), text)))).StatusCode);
            await WaitUntilAsync(async () => await db.ScalarAsync<long>(
                "SELECT count(*) FROM inbound_messages WHERE wa_id = $1 AND status IN ('processed', 'ignored')", Customer) == expectSent, Explain);
        }

        // A customer writes, then asks for a person: the handover text, and the bot goes quiet.
        await SayAsync("michael: hi", 1);
        await SayAsync("human", 2);
        await SayAsync("michael: hello? anyone?", 3);
        await WaitUntilAsync(() => Task.FromResult(Texts().Length == 2), Explain);
        var waiting = await admin.GetFromJsonAsync<JsonObject>("/admin/attention");
        Assert.Contains(waiting!["handovers_waiting"]!.AsArray(), w => w!["wa_id"]!.GetValue<string>() == Customer);

        // The operator replies through the API; the request is repeated (a retrying client): one message goes out.
        var sends = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/contacts/{Customer}/messages")
            {
                Content = JsonContent.Create(new { text = "Hi, Marta here. How can I help?" }),
            };
            request.Headers.Add("Idempotency-Key", "marta-1");
            return admin.SendAsync(request);
        }));
        Assert.All(sends, s => Assert.Equal(HttpStatusCode.Accepted, s.StatusCode));
        await WaitUntilAsync(() => Task.FromResult(Texts().Length == 3), Explain);

        // Meta reports delivery for every message we sent (our key comes back in biz_opaque_callback_data).
        var sent = new List<(string Key, string ProviderId)>();
        await using (var cmd = db.CreateCommand("SELECT idempotency_key, provider_message_id FROM outbound_messages WHERE wa_id = $1 AND provider_message_id IS NOT NULL"))
        {
            cmd.Parameters.AddWithValue(Customer);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) sent.Add((r.GetString(0), r.GetString(1)));
        }
        Assert.Equal(3, sent.Count);
        foreach (var (key, providerId) in sent)
            foreach (var status in new[] { "delivered", "read" })
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Webhooks.Post(Webhooks.Status(providerId, status, Customer, key)))).StatusCode);

        // Released: the bot answers the next message.
        var released = await admin.PutAsJsonAsync($"/admin/contacts/{Customer}/handover", new { active = false });
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        await SayAsync("michael: thanks!", 4);
        await WaitUntilAsync(() => Task.FromResult(Texts().Length == 4), Explain);
        await Task.Delay(500); // let any duplicate show itself

        Assert.Equal(
            [
                "I heard: hi. I can help with weather or reminders. Say \"help\" to see what I can do.",
                "Thanks, a person from our team will answer you here shortly.",
                "Hi, Marta here. How can I help?",
                "I heard: thanks!. I can help with weather or reminders. Say \"help\" to see what I can do.",
            ], Texts());
        var timeline = (await admin.GetFromJsonAsync<JsonObject>($"/admin/contacts/{Customer}/messages"))!["items"]!.AsArray()
            .Select(i => i!.AsObject()).Reverse().ToArray();
        Assert.Equal(
            [
                "inbound michael: hi processed", "outbound fallback read", "inbound human processed", "outbound handover read",
                "inbound michael: hello? anyone? ignored", "outbound operator read", "inbound michael: thanks! processed", "outbound fallback sent",
            ],
            timeline.Select(i => i["direction"]!.GetValue<string>() == "inbound"
                ? $"inbound {i["text"]} {i["status"]}" : $"outbound {i["author"]} {i["status"]}"));
        Assert.All(timeline.Where(i => i["status"]!.GetValue<string>() == "read"), i => Assert.NotNull(i["read_at"]));
    }
}
