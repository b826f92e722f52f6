using MicAi.Core.Configuration;
using MicAi.Core.Storage;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MicAi.Tests.Storage;

/// <summary>
/// MicAi behind PgBouncer in transaction mode (MICAI_DATABASE_URL = the pooler, MICAI_DATABASE_DIRECT_URL = the
/// server): the main pool prepares no statements, and migrations run on the server itself.
/// </summary>
public sealed class PoolerTests
{
    /// <summary>Core over a fresh database, its queries through PgBouncer (plus <paramref name="query"/>), the server as the direct URL.</summary>
    private static Task<CoreServices> BehindPoolerAsync(string query = "", bool migrate = true) => CoreServices.StartAsync(migrate: migrate, configure: s =>
    {
        s[StorageSettings.Keys.DatabaseDirectUrl] = s[StorageSettings.Keys.DatabaseUrl];
        s[StorageSettings.Keys.DatabaseUrl] = TestServers.ThroughPooler(s[StorageSettings.Keys.DatabaseUrl]!) + query;
    });

    /// <summary>Runs one statement on one connection often enough for Npgsql to auto-prepare it (Auto Prepare Min Usages: 5).</summary>
    private static async Task RunRepeatedlyAsync(NpgsqlConnection connection, string sql)
    {
        for (var i = 0; i < 6; i++)
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = i });
            await cmd.ExecuteScalarAsync();
        }
    }

    private static async Task<long> PreparedOnThisSessionAsync(NpgsqlConnection connection)
    {
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Pool_PreparesRepeatedStatements_OnTheServerItself()
    {
        await using var core = await CoreServices.StartAsync(migrate: false);
        await using var connection = await core.Get<NpgsqlDataSource>().OpenConnectionAsync();

        await RunRepeatedlyAsync(connection, "SELECT $1::int + 1");

        Assert.True(await PreparedOnThisSessionAsync(connection) > 0);
    }

    [Fact]
    public async Task Pool_PreparesNothing_BehindThePooler_SoClientsSharingAServerConnectionNeverCollide()
    {
        await using var core = await BehindPoolerAsync();
        var db = core.Get<NpgsqlDataSource>();
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(db.ConnectionString).MaxAutoPrepare);
        await using var first = await db.OpenConnectionAsync();
        await using var second = await db.OpenConnectionAsync();

        // One at a time, so PgBouncer hands both clients the same server connection: each would prepare "_auto0" there.
        await RunRepeatedlyAsync(first, "SELECT $1::int + 1");
        await RunRepeatedlyAsync(second, "SELECT $1::int + 2");

        Assert.Equal(0L, await PreparedOnThisSessionAsync(second));
    }

    /// <summary>Why the pool turns auto-prepare off behind a pooler: PgBouncer 1.18 in transaction mode breaks it.</summary>
    [Fact]
    public async Task Pool_KeepsAutoPrepare_WhenThePoolerUrlAsksForIt_AndPgBouncer118ThenRejectsTheSecondClientsPrepare()
    {
        await using var core = await BehindPoolerAsync("&max_auto_prepare=64");
        var db = core.Get<NpgsqlDataSource>();
        Assert.Equal(64, new NpgsqlConnectionStringBuilder(db.ConnectionString).MaxAutoPrepare);
        await using var first = await db.OpenConnectionAsync();
        await using var second = await db.OpenConnectionAsync();

        await RunRepeatedlyAsync(first, "SELECT $1::int + 1");
        var error = await Assert.ThrowsAsync<PostgresException>(() => RunRepeatedlyAsync(second, "SELECT $1::int + 2"));

        Assert.Equal(PostgresErrorCodes.DuplicatePreparedStatement, error.SqlState); // prepared statement "_auto0" already exists
    }

    [Fact]
    public async Task Migrate_RunsOnTheDirectUrl_SoItWorksWhileTheMainUrlCannotBeReached()
    {
        await using var core = await CoreServices.StartAsync(migrate: false, configure: s =>
        {
            s[StorageSettings.Keys.DatabaseDirectUrl] = s[StorageSettings.Keys.DatabaseUrl];
            s[StorageSettings.Keys.DatabaseUrl] = $"postgresql://nobody:nothing@127.0.0.1:{HostProcess.FreePort()}/nowhere";
        });

        Assert.True(await core.Get<Migrator>().ApplyAsync(CancellationToken.None) > 0);
        Assert.Equal(0, await core.Get<Migrator>().ApplyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task MigrateRole_ThreeProcessesAtOnce_BehindThePooler_ApplyEachScriptOnce()
    {
        await using var core = await BehindPoolerAsync(migrate: false);
        var env = core.Settings.ToDictionary(p => p.Key, p => p.Value);

        var migrations = Enumerable.Range(0, 3).Select(_ => HostProcess.Start(["migrate"], env)).ToList();
        var codes = await Task.WhenAll(migrations.Select(m => m.WaitForExitAsync(TimeSpan.FromSeconds(60))));

        Assert.True(codes.All(c => c == 0), string.Join("\n", migrations.Select(m => m.Output)));
        var direct = core.Services.GetRequiredKeyedService<NpgsqlDataSource>(Databases.Direct);
        var journaled = await direct.ScalarAsync<long>("SELECT count(*) FROM schemaversions");
        Assert.True(journaled > 0);
        Assert.Equal(journaled, await direct.ScalarAsync<long>("SELECT count(DISTINCT scriptname) FROM schemaversions"));
        foreach (var m in migrations) await m.DisposeAsync();
    }
}
