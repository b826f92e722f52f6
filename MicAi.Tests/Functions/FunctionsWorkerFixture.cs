using System.Text.Json;
using MicAi.Core.Configuration;
using Npgsql;

namespace MicAi.Tests.Functions;

/// <summary>
/// One published MicAi.Functions worker per test class, wired to a fresh database on the test Postgres, a unique key
/// prefix on the test Redis and a Graph stub. bin/test publishes the app and exports the locations.
/// </summary>
public sealed class FunctionsWorkerFixture : IAsyncLifetime
{
    public const string AdminKey = "functions-test-admin-key";
    public const string VerifyToken = "functions-test-verify-token";

    private FunctionsTestHost? host;
    private GraphStub? graph;
    private string? adminConnectionString;

    public FunctionsTestHost Host => host ?? throw new InvalidOperationException("The fixture did not start.");
    public GraphStub Graph => graph ?? throw new InvalidOperationException("The fixture did not start.");
    public string DatabaseConnectionString { get; private set; } = "";
    public string RedisKeyPrefix { get; } = $"fxtest-{Guid.NewGuid():N}";
    public static string AppSecret => Manifest.RootElement.GetProperty("app_secret_for_signatures").GetString()!;
    public static string PhoneNumberId => Manifest.RootElement.GetProperty("business").GetProperty("phone_number_id").GetString()!;
    public string DatabaseName { get; } = $"micai_fx_{Guid.NewGuid():N}";

    private static readonly JsonDocument Manifest =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "meta", "manifest.json")));

    public async Task InitializeAsync()
    {
        var appDirectory = Required("MICAI_TEST_FUNCTIONS_DIR", "the published MicAi.Functions (bin/test runs dotnet publish MicAi.Functions -o .artifacts/publish/functions)");
        var databaseUrl = Required("MICAI_TEST_DATABASE_URL", "a Postgres superuser URL (bin/test starts one)");
        var redisUrl = Required("MICAI_TEST_REDIS_URL", "a Redis URL (bin/test starts one)");

        adminConnectionString = ConnectionStrings.ToNpgsql(databaseUrl);
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", admin);
            await create.ExecuteNonQueryAsync();
        }
        DatabaseConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = DatabaseName }.ConnectionString;
        await FunctionsTestDatabase.MigrateAsync(DatabaseConnectionString);

        graph = await GraphStub.StartAsync();
        host = await FunctionsTestHost.StartAsync(Path.GetFullPath(appDirectory), new Dictionary<string, string>
        {
            [MicAiSettings.Keys.AppEnv] = "dev",
            [MicAiSettings.Keys.DatabaseUrl] = DatabaseConnectionString,
            [MicAiSettings.Keys.RedisUrl] = redisUrl,
            [MicAiSettings.Keys.RedisKeyPrefix] = RedisKeyPrefix,
            [MicAiSettings.Keys.AdminApiKey] = AdminKey,
            [MicAiSettings.Keys.VerifyToken] = VerifyToken,
            [MicAiSettings.Keys.AccessToken] = "functions-test-access-token",
            [MicAiSettings.Keys.PhoneNumberId] = PhoneNumberId,
            [MicAiSettings.Keys.AppSecret] = AppSecret,
            [MicAiSettings.Keys.GraphBaseUrl] = graph.BaseUrl.ToString(),
            [MicAiSettings.Keys.OutboundReplyEnabled] = "true",
            ["MICAI_WORKER_POLL_BUDGET_SECONDS"] = "20",
        }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync();
        if (graph is not null) await graph.DisposeAsync();
        if (adminConnectionString is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {DatabaseName} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static string Required(string name, string what) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: it must point at {what}. Run the tests through bin/test.");
}
