using MicAi.Core.Configuration;
using MicAi.Core.Storage;
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
public sealed class FunctionsWorkerFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    public const string AdminKey = "functions-test-admin-key";
    public const string VerifyToken = "functions-test-verify-token";

    private FunctionsTestHost? host;
    private GraphStub? graph;
    private NpgsqlDataSource? db;

    public FunctionsTestHost Host => host ?? throw new InvalidOperationException("The fixture did not start.");
    public GraphStub Graph => graph ?? throw new InvalidOperationException("The fixture did not start.");
    public NpgsqlDataSource Db => db ?? throw new InvalidOperationException("The fixture did not start.");

    public async Task InitializeAsync()
    {
        var appDirectory = Path.GetFullPath(TestServers.Required("MICAI_TEST_FUNCTIONS_DIR"));
        if (!File.Exists(Path.Combine(appDirectory, "MicAi.Functions.dll")))
            throw new InvalidOperationException($"No MicAi.Functions.dll in {appDirectory}: publish it first (bin/test does).");

        var databaseUrl = await TestServers.CreateDatabaseAsync();
        db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(databaseUrl));
        await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync(CancellationToken.None);

        graph = await GraphStub.StartAsync();
        host = await FunctionsTestHost.StartAsync(appDirectory, new Dictionary<string, string>
        {
            [MicAiSettings.Keys.AppEnv] = "test",
            [MicAiSettings.Keys.DatabaseUrl] = databaseUrl,
            [MicAiSettings.Keys.RedisUrl] = TestServers.RedisUrl,
            [MicAiSettings.Keys.RedisKeyPrefix] = TestServers.NewRedisPrefix(),
            [MicAiSettings.Keys.AdminApiKey] = AdminKey,
            [MicAiSettings.Keys.VerifyToken] = VerifyToken,
            [MicAiSettings.Keys.AccessToken] = "functions-test-access-token",
            [MicAiSettings.Keys.PhoneNumberId] = Webhooks.PhoneNumberId,
            [MicAiSettings.Keys.AppSecret] = Webhooks.AppSecret,
            [MicAiSettings.Keys.GraphBaseUrl] = graph.BaseUrl,
            [MicAiSettings.Keys.OutboundReplyEnabled] = "true",
            ["MICAI_WORKER_POLL_BUDGET_SECONDS"] = "20",
        }, CancellationToken.None);
        // Shown with xunit diagnostic messages on: how long spawn + init + metadata + load took.
        diagnostics.OnMessage(new Xunit.Sdk.DiagnosticMessage($"Functions worker ready in {host.StartupTime.TotalMilliseconds:F0} ms ({host.Functions.Count} functions loaded)"));
    }

    public async Task DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync();
        if (graph is not null) await graph.DisposeAsync();
        if (db is not null) await db.DisposeAsync();
    }
}
