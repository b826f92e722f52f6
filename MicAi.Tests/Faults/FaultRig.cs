using System.Diagnostics;
using System.Net;
using System.Text;
using MicAi.Core.Configuration;
using MicAi.Core.Hosting;
using MicAi.Core.Queue;
using MicAi.Core.Scheduling;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace MicAi.Tests.Faults;

/// <summary>
/// Fault tests run one at a time and alone, after every parallel test has finished: each starts several Host
/// processes and servers of its own and asserts on timing (webhooks answered within seconds, takeover within two
/// lease periods), which other process-heavy tests competing for the cores would distort.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}

/// <summary>
/// The published Host as separate api/worker/scheduler processes against a Graph stub, with short reliability
/// timings, plus what the fault tests measure: replies per recipient at the stub, and the ledger's end state.
/// MICAI_TEST_FAULT_SCALE (default 1) multiplies the message counts for a larger run by hand.
/// </summary>
public sealed class FaultRig : IAsyncDisposable
{
    public const int VisibilitySeconds = 3;
    private readonly List<HostProcess> processes = [];
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private FaultRig(GraphStub graph, Dictionary<string, string?> env, ITestOutputHelper output)
    {
        Graph = graph;
        Env = env;
        Output = output;
        // The test's own view goes to the server itself, even when the Host's goes through the pooler.
        Db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(env.GetValueOrDefault(StorageSettings.Keys.DatabaseDirectUrl) ?? env[StorageSettings.Keys.DatabaseUrl]!));
    }

    public GraphStub Graph { get; }
    public Dictionary<string, string?> Env { get; }
    public ITestOutputHelper Output { get; }
    public NpgsqlDataSource Db { get; }
    public HostProcess? Api { get; private set; }
    public IReadOnlyList<HostProcess> Processes => processes;

    public static int Scale => int.TryParse(Environment.GetEnvironmentVariable("MICAI_TEST_FAULT_SCALE"), out var s) && s > 0 ? s : 1;

    /// <param name="throughPooler">the Host's queries go through PgBouncer, its migrations to the server (MICAI_DATABASE_DIRECT_URL)</param>
    public static async Task<FaultRig> StartAsync(ITestOutputHelper output, string? databaseUrl = null, string? redisUrl = null,
        TimeSpan? graphLatency = null, bool throughPooler = false)
    {
        var graph = await GraphStub.StartAsync();
        graph.Latency = graphLatency ?? TimeSpan.FromMilliseconds(30);
        var env = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
        if (databaseUrl is not null) env[StorageSettings.Keys.DatabaseUrl] = databaseUrl;
        if (throughPooler)
        {
            env[StorageSettings.Keys.DatabaseDirectUrl] = env[StorageSettings.Keys.DatabaseUrl];
            env[StorageSettings.Keys.DatabaseUrl] = TestServers.ThroughPooler(env[StorageSettings.Keys.DatabaseUrl]!);
        }
        if (redisUrl is not null) env[QueueSettings.Keys.RedisUrl] = redisUrl;
        env[QueueSettings.Keys.VisibilityTimeoutSeconds] = VisibilitySeconds.ToString();
        env[SchedulerSettings.Keys.LeaseSeconds] = "3";
        env[HostingSettings.Keys.ShutdownTimeoutSeconds] = "10";
        env[WorkerSettings.Keys.Concurrency] = "8";
        env[WhatsAppSettings.Keys.MarkAsRead] = "false"; // count replies only
        return new FaultRig(graph, env, output);
    }

    public async Task<HostProcess> StartApiAsync()
    {
        Api = await HostProcess.StartApiAsync(Env);
        processes.Add(Api);
        http.BaseAddress = Api.BaseAddress;
        return Api;
    }

    public HostProcess Start(string role)
    {
        var p = HostProcess.Start([role], Env);
        processes.Add(p);
        return p;
    }

    /// <summary>Starts a worker or scheduler and waits for its first heartbeat: past migrations, in its loop.</summary>
    public async Task<HostProcess> StartRunningAsync(string role)
    {
        var p = Start(role);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(ConnectionStrings.ToRedis(Env[QueueSettings.Keys.RedisUrl]!));
        var key = new Core.Queue.RedisKeys(Env[QueueSettings.Keys.RedisKeyPrefix]!).Heartbeats;
        await WaitUntilAsync(async () =>
        {
            if (p.HasExited) Assert.Fail($"{role} exited with {p.ExitCode}:\n{p.Output}");
            return (await redis.GetDatabase().HashKeysAsync(key)).Any(f => f.ToString().StartsWith(role + "/", StringComparison.Ordinal)
                && f.ToString().Contains($"-{p.Pid}", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(30), $"{role} to start");
        return p;
    }

    /// <summary>One message from each of <paramref name="count"/> distinct senders: replies at the stub are then counted per recipient.</summary>
    public static List<(string From, string Wamid, byte[] Body)> Messages(int count, string prefix) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var from = $"{prefix}{i:D6}";
            var wamid = Webhooks.NewWamid();
            return (from, wamid, Webhooks.Text(from, wamid, $"michael: hello from {from}"));
        }).ToList();

    public async Task<HttpStatusCode> PostAsync(byte[] body, bool closeConnection = false)
    {
        var request = Webhooks.Post(body);
        request.Headers.ConnectionClose = closeConnection; // no keep-alive race after the server closed a connection
        try { return (await http.SendAsync(request)).StatusCode; }
        catch (HttpRequestException) { return 0; } // connection refused: like a 5xx, Meta retries
        catch (TaskCanceledException) { return HttpStatusCode.RequestTimeout; }
    }

    /// <summary>Posts the bodies <paramref name="parallel"/> at a time, returning each one's status.</summary>
    public async Task<HttpStatusCode[]> PostAllAsync(IReadOnlyList<byte[]> bodies, int parallel = 4, Func<int, Task>? between = null,
        bool closeConnections = false)
    {
        var statuses = new HttpStatusCode[bodies.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < bodies.Count;)
            {
                if (between is not null) await between(i);
                statuses[i] = await PostAsync(bodies[i], closeConnections);
            }
        }));
        return statuses;
    }

    public Dictionary<string, int> RepliesPerRecipient() =>
        Graph.Messages.GroupBy(m => m.To!).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Nothing left to do: every inbound row answered or ignored, no outbound row pending, sending or retrying.</summary>
    public async Task<bool> SettledAsync() =>
        await Db.ScalarAsync<long>("""
            SELECT (SELECT count(*) FROM inbound_messages WHERE status IN ('received', 'queued'))
                 + (SELECT count(*) FROM outbound_messages WHERE status IN ('pending', 'sending', 'retrying'))
            """) == 0;

    public async Task<TimeSpan> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try { if (await condition()) return clock.Elapsed; }
            catch (NpgsqlException) { } // the test's own view of a private Postgres that is down
            await Task.Delay(100);
        }
        Assert.Fail($"timed out after {timeout} waiting for {what}\n{Logs()}");
        return clock.Elapsed;
    }

    /// <summary>
    /// Plays Meta's part for sends whose outcome we do not know: a 'sent' status webhook for every request the stub
    /// received, echoing biz_opaque_callback_data, as Meta does. Returns how many statuses were posted.
    /// </summary>
    public async Task<int> DeliverStatusWebhooksAsync()
    {
        var statuses = Graph.Messages.Select(m => (Key: m.Body["biz_opaque_callback_data"]?.GetValue<string>(), To: m.To!))
            .Where(s => s.Key is not null).ToList();
        foreach (var chunk in statuses.Chunk(50))
        {
            var items = string.Join(',', chunk.Select(s =>
                $$"""{"id":"wamid.META{{Guid.NewGuid():N}}","status":"sent","timestamp":"{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}","recipient_id":"{{s.To}}","biz_opaque_callback_data":"{{s.Key}}"}"""));
            var body = Encoding.UTF8.GetBytes($$"""
                {"object":"whatsapp_business_account","entry":[{"id":"102938475610293","changes":[{"value":{"messaging_product":"whatsapp",
                "metadata":{"display_phone_number":"15550001111","phone_number_id":"{{Webhooks.PhoneNumberId}}"},"statuses":[{{items}}]},"field":"messages"}]}]}
                """);
            Assert.Equal(HttpStatusCode.OK, await PostAsync(body));
        }
        return statuses.Count;
    }

    /// <summary>Exactly-once check: each sender answered once at the stub. Returns (lost, duplicated) and reports them.</summary>
    public (int Lost, int Duplicated) Tally(IEnumerable<string> expected, string test, TimeSpan? recovery = null)
    {
        var replies = RepliesPerRecipient();
        var list = expected.ToList();
        var lost = list.Count(f => !replies.ContainsKey(f));
        var duplicated = replies.Values.Count(c => c > 1);
        Output.WriteLine($"{test}: messages={list.Count} answered={list.Count - lost} lost={lost} duplicated={duplicated}" +
                         (recovery is { } r ? $" recovery={r.TotalSeconds:F1}s" : ""));
        return (lost, duplicated);
    }

    public string Logs() => string.Join("\n", processes.Select(p =>
        $"--- {p.Role} (pid {p.Pid}){(p.HasExited ? $" exited {p.ExitCode}" : "")}:\n{Errors(p.Output)}{Tail(p.Output)}"));

    private static string Tail(string s) => s.Length > 6000 ? s[^6000..] : s;

    // The tail alone can lose the one error a failure is about (a 500 early in a long run): its first lines come first.
    private static string Errors(string s)
    {
        var errors = s.Split('\n').Where(l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal)
            || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)).Take(5).ToList();
        return errors.Count == 0 ? "" : "errors logged (first 5):\n" + string.Join("\n", errors.Select(l => l.Length > 4000 ? l[..4000] : l)) + "\n... tail:\n";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in processes) await p.DisposeAsync();
        http.Dispose();
        await Db.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
