using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit.Abstractions;

namespace MicAi.Tests.Functions;

/// <summary>
/// One published MicAi.Functions worker per test class, started by the stand-in host and wired to a fresh database
/// on the test Postgres (migrated with Core's migrator), a unique key prefix on the test Redis and a Graph stub.
/// bin/test publishes the app and exports MICAI_TEST_FUNCTIONS_DIR.
/// </summary>
public class FunctionsWorkerFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    public const string AdminKey = "functions-test-admin-key";
    public const string VerifyToken = "functions-test-verify-token";
    public const int BatchSize = 2;

    private FunctionsTestHost? host;
    private GraphStub? graph;
    private NpgsqlDataSource? db;

    public FunctionsTestHost Host => host ?? throw new InvalidOperationException("The fixture did not start.");
    public GraphStub Graph => graph ?? throw new InvalidOperationException("The fixture did not start.");
    public NpgsqlDataSource Db => db ?? throw new InvalidOperationException("The fixture did not start.");

    /// <summary>The app settings the worker was started with.</summary>
    public IReadOnlyDictionary<string, string> WorkerAppSettings { get; private set; } = new Dictionary<string, string>();

    /// <summary>Seconds one WorkerPoll run may drain; a fixture for the budget itself lowers it.</summary>
    protected virtual int PollBudgetSeconds => 20;

    /// <summary>Variables a derived fixture adds to (or overrides in) the worker's environment.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        var appDirectory = Path.GetFullPath(TestServers.Required("MICAI_TEST_FUNCTIONS_DIR"));
        if (!File.Exists(Path.Combine(appDirectory, "MicAi.Functions.dll")))
            throw new InvalidOperationException($"No MicAi.Functions.dll in {appDirectory}: publish it first (bin/test does).");

        var databaseUrl = await TestServers.CreateDatabaseAsync();
        db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(databaseUrl));
        await MigrateAsync(databaseUrl, db);

        graph = await GraphStub.StartAsync();
        var settings = Settings(databaseUrl, graph);
        WorkerAppSettings = settings;
        try
        {
            host = await FunctionsTestHost.StartAsync(appDirectory, settings, CancellationToken.None);
        }
        catch (WorkerStartException first)
        {
            // The worker picks its Kestrel port by probing for a free one and binding it later; on a busy machine
            // another process can take the port in between. One fresh start gets a new port.
            diagnostics.OnMessage(new Xunit.Sdk.DiagnosticMessage($"Functions worker start failed, retrying once: {first.Message}"));
            host = await FunctionsTestHost.StartAsync(appDirectory, settings, CancellationToken.None);
        }
        // Shown with xunit diagnostic messages on: how long spawn + init + metadata + load took.
        diagnostics.OnMessage(new Xunit.Sdk.DiagnosticMessage($"Functions worker ready in {host.StartupTime.TotalMilliseconds:F0} ms ({host.Functions.Count} functions loaded)"));
    }

    /// <summary>Brings the new database's schema up to date before the worker starts (Core's migrator here).</summary>
    protected virtual Task MigrateAsync(string databaseUrl, NpgsqlDataSource database) =>
        new Migrator(database, NullLogger<Migrator>.Instance).ApplyAsync(CancellationToken.None);

    /// <summary>The app settings the worker gets (the stand-in host resolves the timers' %...% from them too).</summary>
    protected virtual Dictionary<string, string> Settings(string databaseUrl, GraphStub graph)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AppSettings.Keys.AppEnv] = "test",
            [StorageSettings.Keys.DatabaseUrl] = databaseUrl,
            [QueueSettings.Keys.RedisUrl] = TestServers.RedisUrl,
            [QueueSettings.Keys.RedisKeyPrefix] = TestServers.NewRedisPrefix(),
            [AdminSettings.Keys.ApiKey] = AdminKey,
            [WhatsAppSettings.Keys.VerifyToken] = VerifyToken,
            [WhatsAppSettings.Keys.AccessToken] = "functions-test-access-token",
            [WhatsAppSettings.Keys.PhoneNumberId] = Webhooks.PhoneNumberId,
            [WhatsAppSettings.Keys.AppSecret] = Webhooks.AppSecret,
            [WhatsAppSettings.Keys.GraphBaseUrl] = graph.BaseUrl,
            [OutboundSettings.Keys.ReplyEnabled] = "true",
            // Small batches, so one WorkerPoll run has to loop to drain a handful of jobs.
            [WorkerSettings.Keys.Concurrency] = FunctionsWorkerFixture.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MICAI_WORKER_POLL_BUDGET_SECONDS"] = PollBudgetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        // The timer schedules are app settings the host resolves (%...%); without them it would not load the timers.
        foreach (var (key, value) in SampleSchedules()) settings[key] = value;
        foreach (var (key, value) in ExtraSettings) settings[key] = value;
        return settings;
    }

    /// <summary>The timer schedules of local.settings.sample.json (the same as the Bicep defaults, see FunctionsMetadataTests).</summary>
    public static IEnumerable<KeyValuePair<string, string>> SampleSchedules()
    {
        var values = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepoPaths.Of("local.settings.sample.json")))!["Values"]!;
        foreach (var key in new[] { "MICAI_WORKER_POLL_SCHEDULE", "MICAI_SCHEDULER_SCHEDULE" })
            yield return new(key, values[key]!.GetValue<string>());
    }

    public virtual async Task DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync();
        if (graph is not null) await graph.DisposeAsync();
        if (db is not null) await db.DisposeAsync();
    }
}
