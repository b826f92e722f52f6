using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.Storage;
using Npgsql;
using StackExchange.Redis;

namespace MicAi.Tests.Queue;

/// <summary>
/// Jobs the Python mic.ai service left in its Redis list <c>&lt;prefix&gt;:jobs</c> (TestData/python-micai/redis-jobs.jsonl
/// and the other job types it knew) are taken over once: sends through the ledger under their own key, messages
/// stored and answered, the scheduler's tick dropped, anything unreadable kept as a dead job; then the list is gone.
/// On bin/test's Redis and on a cluster.
/// </summary>
public abstract class PythonQueueDrainContract : OnRedis
{
    private const string LeftOverSend = "reply:wamid.PYTHONQUEUED0001";
    private const string LeftOverMessage =
        """{"job_type": "inbound.process_message", "payload": {"message_id": "wamid.PYTHONQUEUED0002", "wa_id": "15557775001", "text": "michael: price", "is_voice": false}}""";

    /// <summary>Pushes the items as the Python service did (LPUSH, oldest first), so its BRPOP would take the first line first.</summary>
    private static async Task LeaveAsync(IDatabase db, RedisKey list, params string[] items)
    {
        foreach (var item in items) await db.ListLeftPushAsync(list, item);
    }

    private static string[] FixtureJobs() => File.ReadAllLines(PythonDatabaseFixture.File("redis-jobs.jsonl")).Where(l => l.Length > 0).ToArray();

    [Fact]
    public async Task Drain_TakesOverEveryPythonJob_ThenTheListIsGone()
    {
        await using var core = await CoreAsync();
        var db = core.Get<IConnectionMultiplexer>().GetDatabase();
        var keys = core.Get<RedisKeys>();
        await LeaveAsync(db, keys.Legacy.Jobs, [.. FixtureJobs(), LeftOverMessage, "not json", """{"job_type":"billing.charge","payload":{}}"""]);

        Assert.Equal((5L, 0L), await core.Get<LegacyQueueMigration>().RunAsync(CancellationToken.None));

        Assert.False(await db.KeyExistsAsync(keys.Legacy.Jobs));
        var jobs = (await core.Get<JobStream>().ReadAsync("w", 10)).Select(e => Job.FromFields(e.Values)!).Select(j => $"{j.Type}:{j.Key}");
        Assert.Equal([$"send:{LeftOverSend}", "inbound:wamid.PYTHONQUEUED0002"], jobs); // in the order Python would have run them
        var pg = core.Get<NpgsqlDataSource>();
        Assert.Equal("15557775001|text|Left in the Python queue: your order is confirmed.|pending", await pg.ScalarAsync<string>(
            "SELECT concat_ws('|', wa_id, kind, body, status) FROM outbound_messages WHERE idempotency_key = $1", LeftOverSend));
        Assert.Equal("15557775001|michael: price|received", await pg.ScalarAsync<string>(
            "SELECT concat_ws('|', wa_id, text, status) FROM inbound_messages WHERE wamid = 'wamid.PYTHONQUEUED0002'"));
        Assert.Equal("python:billing.charge,python:unreadable", await pg.ScalarAsync<string>(
            "SELECT string_agg(job_type, ',' ORDER BY job_type) FROM dead_jobs"));
    }

    [Fact]
    public async Task Drain_SendsALeftOverSendOnce_WhenACrashHandedItOverTwice()
    {
        await using var graph = await GraphStub.StartAsync();
        await using var core = await CoreServices.StartAsync(graph.BaseUrl, configure: s => s[QueueSettings.Keys.RedisUrl] = RedisUrl);
        var db = core.Get<IConnectionMultiplexer>().GetDatabase();
        var pg = core.Get<NpgsqlDataSource>();
        await pg.ExecuteAsync("INSERT INTO contacts (wa_id, last_inbound_at) VALUES ('15557775001', now() - interval '2 hours')");
        var send = FixtureJobs()[0];
        await LeaveAsync(db, core.Get<RedisKeys>().Legacy.Jobs, send);
        // A crash after the import and before the item left the list: the next run imports it again.
        await core.Get<IPythonJobImporter>().ImportAsync(send, CancellationToken.None);
        await core.Get<LegacyQueueMigration>().RunAsync(CancellationToken.None);

        while (await core.Get<JobRunner>().RunOnceAsync("w", CancellationToken.None) > 0) { }

        var sent = Assert.Single(graph.Messages);
        Assert.Equal(("15557775001", "Left in the Python queue: your order is confirmed."), (sent.To, sent.TextBody));
        Assert.Equal("sent", await pg.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE idempotency_key = $1", LeftOverSend));
    }

    [Fact]
    public async Task Drain_NeverSendsAgain_AKeyPythonAlreadySent()
    {
        await using var graph = await GraphStub.StartAsync();
        await using var core = await CoreServices.StartAsync(graph.BaseUrl, configure: s => s[QueueSettings.Keys.RedisUrl] = RedisUrl);
        var pg = core.Get<NpgsqlDataSource>();
        await pg.ExecuteAsync("INSERT INTO contacts (wa_id, last_inbound_at) VALUES ('15557775001', now())");
        await pg.ExecuteAsync("""
            INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status, attempts, provider_message_id)
            VALUES ('reply:wamid.PYTHONQUEUED0001', '15557775001', 'text', 'sent by Python', 'sent', 1, 'wamid.OUTPY')
            """); // as migrate imports a send Python made
        await LeaveAsync(core.Get<IConnectionMultiplexer>().GetDatabase(), core.Get<RedisKeys>().Legacy.Jobs, FixtureJobs()[0]);

        await core.Get<LegacyQueueMigration>().RunAsync(CancellationToken.None);
        while (await core.Get<JobRunner>().RunOnceAsync("w", CancellationToken.None) > 0) { }

        Assert.Empty(graph.Messages);
        Assert.Equal("sent:sent by Python", await pg.ScalarAsync<string>(
            "SELECT status || ':' || body FROM outbound_messages WHERE idempotency_key = $1", LeftOverSend));
    }
}

public sealed class PythonQueueDrainTests : PythonQueueDrainContract
{
    protected override string RedisUrl => TestServers.RedisUrl;
}

[Collection(RedisClusterCollection.Name)]
public sealed class PythonQueueDrainClusterTests(PrivateRedisCluster cluster) : PythonQueueDrainContract
{
    protected override string RedisUrl => cluster.Url;
}
