using System.Globalization;
using MicAi.Core.Admin;
using MicAi.Core.Agents;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using Npgsql;

namespace MicAi.Bench;

/// <summary>
/// Everything one run drives: a fresh database, a Redis key prefix, the Graph stub, and the Host roles as processes
/// configured like production (MICAI_APP_ENV=prod, signed webhooks, outbound on) except that Graph is the stub and
/// the number's send rate is Meta's top tier (1,000/s).
/// </summary>
public sealed class BenchStack : IAsyncDisposable
{
    public const string PhoneNumberId = "106540352242922";

    private readonly List<RoleProcess> roles = [];

    private BenchStack(BenchOptions options, string databaseUrl, GraphStub graph, ReplyTracker tracker, IReadOnlyDictionary<string, string> environment)
    {
        Options = options;
        PhoneNumberIds = Enumerable.Range(0, options.Numbers)
            .Select(i => (long.Parse(PhoneNumberId, CultureInfo.InvariantCulture) + i).ToString(CultureInfo.InvariantCulture)).ToArray();
        DatabaseUrl = databaseUrl;
        Graph = graph;
        Tracker = tracker;
        Environment = environment;
        Db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(databaseUrl));
    }

    public BenchOptions Options { get; }

    /// <summary>
    /// The business numbers the webhooks are addressed to (--numbers): Meta caps each at 1,000 sends/s and MicAi paces
    /// each to that, so a capacity beyond 1,000 replies/s is only reachable, and measurable, across several.
    /// </summary>
    public IReadOnlyList<string> PhoneNumberIds { get; }
    public string DatabaseUrl { get; }
    public GraphStub Graph { get; }
    public ReplyTracker Tracker { get; }
    public IReadOnlyDictionary<string, string> Environment { get; }
    public NpgsqlDataSource Db { get; }
    public string AppSecret => Environment[WhatsAppSettings.Keys.AppSecret];
    public IReadOnlyList<RoleProcess> Roles => roles;
    public RoleProcess? Api => roles.FirstOrDefault(r => r.Name == "api");

    public static async Task<BenchStack> CreateAsync(BenchOptions options)
    {
        var databaseUrl = await CreateDatabaseAsync(options.DatabaseUrl);
        // Behind a pooler the Host's queries go through it and its migrations to the server (as DEPLOYMENT.md advises).
        var hostUrl = options.PooledDatabaseUrl is { } pooler ? ThroughPooler(databaseUrl, pooler) : databaseUrl;
        var tracker = new ReplyTracker();
        var accessToken = "bench-access-" + Secret();
        var graph = await GraphStub.StartAsync(tracker, accessToken);
        var env = new Dictionary<string, string>
        {
            [AppSettings.Keys.AppEnv] = "prod",
            [StorageSettings.Keys.DatabaseUrl] = options.DatabaseQuery is { Length: > 0 } q ? $"{hostUrl}{(hostUrl.Contains('?') ? '&' : '?')}{q}" : hostUrl,
            [QueueSettings.Keys.RedisUrl] = options.RedisUrl,
            [QueueSettings.Keys.RedisKeyPrefix] = "bench" + Secret()[..8],
            [AdminSettings.Keys.ApiKey] = "bench-admin-" + Secret(),
            [WhatsAppSettings.Keys.VerifyToken] = "bench-verify-" + Secret(),
            [WhatsAppSettings.Keys.AccessToken] = accessToken,
            [WhatsAppSettings.Keys.PhoneNumberId] = PhoneNumberId,
            [WhatsAppSettings.Keys.AppSecret] = "bench-secret-" + Secret(),
            [WhatsAppSettings.Keys.GraphBaseUrl] = graph.BaseUrl,
            [OutboundSettings.Keys.ReplyEnabled] = "true",
            [AgentSettings.Keys.RequireInvokePrefix] = "false",
            // Meta's highest per-number throughput tier (per number: see PhoneNumberIds); the default (80/s) is the entry tier.
            [OutboundSettings.Keys.RatePerSecond] = "1000",
        };
        if (options.PooledDatabaseUrl is not null) env[StorageSettings.Keys.DatabaseDirectUrl] = databaseUrl;
        foreach (var (k, v) in RuntimeCounters.Environment(options.Runs("footprint"))) env[k] = v;
        if (options.WorkerConcurrency is { } c) env[WorkerSettings.Keys.Concurrency] = c.ToString(CultureInfo.InvariantCulture);
        foreach (var (k, v) in options.HostEnv) env[k] = v;
        return new BenchStack(options, databaseUrl, graph, tracker, env);
    }

    /// <summary>Runs the migrate role to completion (so the timed roles start on a migrated database).</summary>
    public async Task<TimeSpan> MigrateAsync()
    {
        await using var migrate = RoleProcess.Start(Options.HostDir, "migrate", Environment, null);
        var code = await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (code != 0) throw new InvalidOperationException($"migrate exited with {code}:\n{migrate.Tail}");
        return migrate.SinceLaunch;
    }

    public RoleProcess Start(string role, string? name = null)
    {
        var process = RoleProcess.Start(Options.HostDir, role, Environment, role == "api" ? LoopbackPorts.Shared.Next() : null, name);
        roles.Add(process);
        return process;
    }

    public async Task StopAsync(RoleProcess role)
    {
        await role.StopAsync();
        roles.Remove(role);
    }

    /// <summary>Starts sampling what can slow a window: this run's database, the cluster, the roles' thread pools, the machine.</summary>
    public Task<WindowSampler> SamplerAsync(BenchProcesses processes) =>
        WindowSampler.StartAsync(processes, Db, () => roles.Select(r => (r.Name, r.Pid)).ToArray(), Options.Window);

    public void ThrowIfAnyExited()
    {
        foreach (var r in roles) r.ThrowIfExited();
    }

    /// <summary>CPU seconds so far per component: each role, Postgres (every process of the cluster), the pooler, Redis, the bench.</summary>
    public async Task<Dictionary<string, double>> CpuAsync()
    {
        var cpu = roles.ToDictionary(r => r.Name, r => r.CpuSeconds());
        await using (var cmd = Db.CreateCommand("SELECT pid FROM pg_stat_activity"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            double pg = 0;
            while (await reader.ReadAsync()) pg += ProcStat.CpuSeconds(reader.GetInt32(0));
            cpu["postgres"] = pg;
        }
        if (Options.PoolerPidFile is { } pidFile && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pooler))
            cpu["pgbouncer"] = ProcStat.CpuSeconds(pooler);
        cpu["redis"] = await RedisCpuAsync(Options.RedisUrl);
        cpu["bench"] = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        return cpu;
    }

    private static async Task<double> RedisCpuAsync(string url)
    {
        var info = await RedisInfo.ReadAsync(url, "cpu");
        return double.Parse(info["used_cpu_sys"], CultureInfo.InvariantCulture) + double.Parse(info["used_cpu_user"], CultureInfo.InvariantCulture);
    }

    /// <summary>The same database reached through the pooler: the pooler's host and port, the rest of the URL as it is.</summary>
    public static string ThroughPooler(string databaseUrl, string poolerUrl) =>
        new UriBuilder(databaseUrl) { Host = new Uri(poolerUrl).Host, Port = new Uri(poolerUrl).Port }.Uri.ToString();

    /// <summary>A fresh database named <paramref name="prefix"/> + time + random; its URL (the admin URL with that path).</summary>
    public static async Task<string> CreateDatabaseAsync(string adminUrl, string prefix = "micai_bench_")
    {
        var name = prefix + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "_" + Secret()[..6];
        var admin = new NpgsqlConnectionStringBuilder(ConnectionStrings.ToNpgsql(adminUrl)) { Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await cmd.ExecuteNonQueryAsync();
        }
        return new UriBuilder(adminUrl) { Path = "/" + name }.Uri.ToString();
    }

    private static string Secret() => Guid.NewGuid().ToString("N");

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(roles.Select(r => r.DisposeAsync().AsTask()));
        roles.Clear();
        await Graph.DisposeAsync();
        await Db.DisposeAsync();
    }
}
