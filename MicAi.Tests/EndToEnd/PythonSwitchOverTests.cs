using System.Net;
using System.Text.Json;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.Storage;
using Npgsql;
using StackExchange.Redis;

namespace MicAi.Tests.EndToEnd;

/// <summary>
/// The switch from a running Python mic.ai deployment, in place: its database (TestData/python-micai) and the jobs it
/// left in Redis, MicAi's published Host run as the release step with the Python service's configuration
/// (postgresql+psycopg:// URL, a setting MicAi dropped), then the roles as OS processes against a Graph stub.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PythonSwitchOverTests
{
    private const string SalesContact = "15557775001", OptedOutContact = "15557775002";

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> explain)
    {
        for (var until = DateTime.UtcNow + timeout; DateTime.UtcNow < until; await Task.Delay(100))
            if (await condition()) return;
        Assert.Fail("timed out: " + explain());
    }

    private static async Task<int> MigrateAsync(Dictionary<string, string?> env, params string[] options)
    {
        await using var migrate = HostProcess.Start(["migrate", .. options], env);
        return await migrate.WaitForExitAsync(TimeSpan.FromMinutes(2)) is var code && code == 0 ? 0
            : throw new InvalidOperationException($"migrate exited with {code}:\n{migrate.Output}");
    }

    [Fact]
    public async Task PythonDeployment_SwitchesToMicAi_WithNothingLostOrSentTwice()
    {
        await using var graph = await GraphStub.StartAsync();
        var env = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
        var pythonUrl = await PythonDatabaseFixture.CreateAsync();
        env[StorageSettings.Keys.DatabaseUrl] = "postgresql+psycopg://" + pythonUrl["postgresql://".Length..]; // the URL as Python had it
        env[QueueSettings.Keys.PythonPollTimeoutSeconds] = "5";
        await using var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(pythonUrl));
        using var redis = await ConnectionMultiplexer.ConnectAsync(ConnectionStrings.ToRedis(env[QueueSettings.Keys.RedisUrl]!));
        var pythonList = new LegacyRedisKeys(env[QueueSettings.Keys.RedisKeyPrefix]!).Jobs; // <prefix>:jobs, as Python named it
        foreach (var job in File.ReadAllLines(PythonDatabaseFixture.File("redis-jobs.jsonl")).Where(l => l.Length > 0))
            await redis.GetDatabase().ListLeftPushAsync(pythonList, job);

        await using (var dryRun = HostProcess.Start(["migrate", "--dry-run"], env))
        {
            Assert.Equal(0, await dryRun.WaitForExitAsync(TimeSpan.FromMinutes(2)));
            Assert.Contains("rename the Python table agent_rules to python_agent_rules (5 rows", dryRun.Output);
            Assert.Contains("MICAI_QUEUE_POLL_TIMEOUT_SECONDS is a Python mic.ai setting MicAi no longer reads", dryRun.Output);
        }
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'agent_rules' AND column_name = 'keywords_csv'"));
        Assert.Equal(0, await MigrateAsync(env));

        env[HostingSettings.Keys.MigrateOnStart] = "false"; // the release step above did it
        await using var api = await HostProcess.StartApiAsync(env);
        await using var worker = HostProcess.Start(["worker"], env);
        await using var scheduler = HostProcess.Start(["scheduler"], env);
        string Logs() => $"worker:\n{worker.Output}\nscheduler:\n{scheduler.Output}";
        using var http = new HttpClient { BaseAddress = api.BaseAddress };

        // The send the Python worker never got to: delivered once, under its own idempotency key.
        await WaitUntilAsync(async () => await db.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE idempotency_key = 'reply:wamid.PYTHONQUEUED0001'") == "sent",
            TimeSpan.FromSeconds(30), Logs);
        Assert.False(await redis.GetDatabase().KeyExistsAsync(pythonList));

        // A contact bound to sales-agent asks; one already opted out says hello; Meta redelivers a message Python answered.
        var ask = Webhooks.NewWamid();
        var ignored = Webhooks.NewWamid();
        foreach (var body in new[]
                 {
                     Webhooks.Text(SalesContact, ask, "michael: price?"), Webhooks.Text(OptedOutContact, ignored, "michael: hello"),
                     Webhooks.Text(SalesContact, "wamid.PYTHONSEEN0001", "michael: what are your prices"),
                 })
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Webhooks.Post(body))).StatusCode);
        await WaitUntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE wamid IN ($1, $2) AND status IN ('processed', 'ignored')", ask, ignored) == 2,
            TimeSpan.FromSeconds(30), Logs);
        await Task.Delay(1000); // let any duplicate or late send show itself

        var toSales = graph.Messages.Where(m => m.To == SalesContact).Select(m => m.TextBody).ToList();
        Assert.Equal(["Left in the Python queue: your order is confirmed.", "Our prices: basic 10, pro 25."], toSales);
        Assert.DoesNotContain(graph.Messages, m => m.To == OptedOutContact);
        Assert.Equal("ignored", await db.ScalarAsync<string>("SELECT status FROM inbound_messages WHERE wamid = $1", ignored));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dead_jobs")); // the scheduler's tick was dropped, not failed

        // The Python turns, through the admin API.
        using var admin = new HttpClient { BaseAddress = api.BaseAddress };
        admin.DefaultRequestHeaders.Add("x-admin-key", MicAiApiFactory.AdminKey);
        var turns = JsonDocument.Parse(await admin.GetStringAsync($"admin/contacts/{SalesContact}/turns")).RootElement.GetProperty("items");
        Assert.Contains(turns.EnumerateArray(), t => t.GetProperty("inbound_text").GetString() == "michael: what are your prices"
                                                     && t.GetProperty("reply_text").GetString() == "Our prices: basic 10, pro 25.");

        // A second migrate (the next deploy's release step) changes nothing.
        var beforeSecond = await db.ScalarAsync<string>(PythonDatabaseFixture.Snapshot);
        Assert.Equal(0, await MigrateAsync(env));
        Assert.Equal(beforeSecond, await db.ScalarAsync<string>(PythonDatabaseFixture.Snapshot));
    }
}
