using System.Net;
using MicAi.Core.Configuration;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.Outbox;
using Npgsql;

namespace MicAi.Tests.EndToEnd;

/// <summary>
/// The published Host as api, worker and scheduler processes: a webhook whose reply Meta refuses once with HTTP 500
/// is retried through the delayed set (promoted by the scheduler's Lua script) and answered exactly once. On bin/test's
/// Redis and on a three-master cluster, where that script's two keys must share a slot.
/// </summary>
public abstract class RetryEndToEndContract : OnRedis
{
    [Fact]
    public async Task Webhook_IsAnsweredOnce_WhenGraphRefusesTheFirstSendWith500_AndTheRetryComesThroughTheDelayedSet()
    {
        await using var graph = await GraphStub.StartAsync();
        var from = OutboxHost.NewRecipient();
        graph.RefuseFirstMessageWith500(from);
        var env = await HostEnvironmentAsync(graph.BaseUrl);
        env[WhatsAppSettings.Keys.MarkAsRead] = "false"; // only replies reach the stub
        await using var api = await HostProcess.StartApiAsync(env);
        await using var worker = HostProcess.Start(["worker"], env);
        await using var scheduler = HostProcess.Start(["scheduler"], env);
        await using var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(env[StorageSettings.Keys.DatabaseUrl]!));

        var wamid = Webhooks.NewWamid();
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Webhooks.Post(Webhooks.Text(from, wamid, "michael: hello")))).StatusCode);

        const string row = "SELECT status FROM outbound_messages WHERE idempotency_key = $1";
        for (var i = 0; i < 300 && await db.ScalarAsync<string?>(row, $"reply:{wamid}") != "sent"; i++) await Task.Delay(100);
        await Task.Delay(500); // let any duplicate show itself

        var sends = graph.Messages.Where(m => m.To == from).ToArray();
        Assert.True(sends.Length == 2, $"{sends.Length} sends (expected one refused, one answered)\nworker:\n{worker.Output}\nscheduler:\n{scheduler.Output}");
        Assert.All(sends, s => Assert.Equal($"reply:{wamid}", s.Body["biz_opaque_callback_data"]!.GetValue<string>()));
        Assert.Equal("sent", await db.ScalarAsync<string?>(row, $"reply:{wamid}"));
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT attempts FROM outbound_messages WHERE idempotency_key = $1", $"reply:{wamid}"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dead_jobs"));
    }
}

public sealed class RetryEndToEndTests : RetryEndToEndContract
{
    protected override string RedisUrl => TestServers.RedisUrl;
}

[Collection(RedisClusterCollection.Name)]
public sealed class RetryEndToEndClusterTests(PrivateRedisCluster cluster) : RetryEndToEndContract
{
    protected override string RedisUrl => cluster.Url;
}
