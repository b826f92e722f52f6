using MicAi.Core;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using System.Security.Cryptography;
using MicAi.Core.Configuration;
using MicAi.Core.Admin;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Rehearsal;

/// <summary>
/// A Render deploy of the published Host, rehearsed on the production-shaped rig: <c>MICAI_APP_ENV=prod</c>,
/// <c>RENDER=true</c>, every secret from a file named by X_FILE (fresh random values, none a dev default); every
/// query through PgBouncer in transaction mode (SCRAM, TLS verify-full) and the server itself only as
/// MICAI_DATABASE_DIRECT_URL; Redis TLS with an ACL user. In Render's order: the <c>migrate</c> role first (the
/// web service's preDeployCommand, with its variables), then the api behind Render's proxy, a worker and a scheduler.
/// </summary>
public abstract class HostDeployment : IAsyncLifetime
{
    private readonly string secretsDirectory = Directory.CreateTempSubdirectory("micai-rehearsal-").FullName;
    private readonly List<HostProcess> processes = [];
    private GraphStub? graph;
    private NpgsqlDataSource? db;
    private RenderProxyHop? render;

    public GraphStub Graph => graph ?? throw NotStarted();

    /// <summary>The test's own view of the database, on the server itself.</summary>
    public NpgsqlDataSource Db => db ?? throw NotStarted();

    /// <summary>The api, reached through Render's proxy only.</summary>
    public RenderProxyHop Render => render ?? throw NotStarted();

    public HostProcess Migrate => processes.FirstOrDefault() ?? throw NotStarted();

    /// <summary>Every secret the processes read from files, by setting name.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; private set; } = new Dictionary<string, string>();

    public string Secret(string key) => Secrets[key];

    /// <summary>What each process printed so far (the migrate role's whole run included).</summary>
    public IEnumerable<(string Process, string Output)> Outputs =>
        processes.Select(p => (p.Role.Split(' ')[^1], p.Output)).Append(("api", Render.Api.Output));

    /// <summary>The Redis the deploy uses: its URL (one node, for a cluster) and every port a client may be sent to.</summary>
    protected abstract Task<(string Url, IReadOnlyList<int> Ports)> StartRedisAsync();

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync(); // xunit does not dispose a fixture whose start failed: nothing may outlive the run
            throw;
        }
    }

    private async Task StartAsync()
    {
        graph = await GraphStub.StartAsync();
        var directUrl = await TestServers.CreateDatabaseAsync();
        var pooledUrl = TestServers.ThroughPooler(directUrl);
        var redis = await StartRedisAsync();
        Secrets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [StorageSettings.Keys.DatabaseUrl] = pooledUrl,
            [StorageSettings.Keys.DatabaseDirectUrl] = directUrl,
            [QueueSettings.Keys.RedisUrl] = redis.Url,
            [AdminSettings.Keys.ApiKey] = "adm_" + Random(),
            [WhatsAppSettings.Keys.VerifyToken] = "vt_" + Random(),
            [WhatsAppSettings.Keys.AccessToken] = "EAAG" + Random(),
            [WhatsAppSettings.Keys.PhoneNumberId] = Webhooks.PhoneNumberId, // Meta names it in every webhook
            [WhatsAppSettings.Keys.AppSecret] = Random(),
        };
        var env = new Dictionary<string, string?>
        {
            [AppSettings.Keys.AppEnv] = "prod",
            [AdminSettings.Keys.Render] = "true",
            [WhatsAppSettings.Keys.GraphBaseUrl] = Graph.BaseUrl,
            [OutboundSettings.Keys.ReplyEnabled] = "true", // DEPLOYMENT.md: the operator turns sending on after bring-up
            [QueueSettings.Keys.RedisKeyPrefix] = TestServers.NewRedisPrefix(),
        };
        foreach (var (key, file) in SecretFiles.Write(secretsDirectory, Secrets)) env[key] = file;
        db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(directUrl));

        var migrate = HostProcess.Start(["migrate"], env);
        processes.Add(migrate);
        var exit = await migrate.WaitForExitAsync(TimeSpan.FromSeconds(90));
        if (exit != 0) throw new InvalidOperationException($"the pre-deploy migrate exited with {exit}:\n{migrate.Output}");

        render = await RenderProxyHop.StartAsync(env, [new Uri(directUrl).Port, new Uri(pooledUrl).Port, .. redis.Ports]);
        processes.Add(HostProcess.Start(["worker"], env));
        processes.Add(HostProcess.Start(["scheduler"], env));
    }

    private static string Random() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private static InvalidOperationException NotStarted() => new("The deployment did not start.");

    public virtual async Task DisposeAsync()
    {
        foreach (var process in processes) await process.DisposeAsync();
        if (render is not null) await render.DisposeAsync();
        if (graph is not null) await graph.DisposeAsync();
        if (db is not null) await db.DisposeAsync();
        Directory.Delete(secretsDirectory, recursive: true);
    }
}

/// <summary>The deploy on bin/test's Redis (TLS, ACL user).</summary>
public sealed class StandaloneRedisDeployment : HostDeployment
{
    protected override Task<(string Url, IReadOnlyList<int> Ports)> StartRedisAsync() =>
        Task.FromResult<(string, IReadOnlyList<int>)>((TestServers.RedisUrl, [new Uri(TestServers.RedisUrl).Port]));
}

/// <summary>The deploy on a three-master Redis Cluster of its own, MICAI_REDIS_URL naming its first node only.</summary>
public sealed class RedisClusterDeployment : HostDeployment
{
    private readonly PrivateRedisCluster cluster = new();

    protected override async Task<(string Url, IReadOnlyList<int> Ports)> StartRedisAsync()
    {
        await cluster.InitializeAsync();
        return (cluster.Url, cluster.Ports);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await cluster.DisposeAsync();
    }
}
