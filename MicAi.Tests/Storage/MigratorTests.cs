using MicAi.Core.Configuration;
using MicAi.Core.Storage;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Storage;

public sealed class MigratorTests
{
    /// <summary>
    /// As on a managed Postgres: the app logs in as its own role with a SCRAM password, over verified TLS. DbUp once got
    /// the data source's ConnectionString, which never carries the password, and failed here ("No password has been
    /// provided but the backend requires one").
    /// </summary>
    [Fact]
    public async Task Migrate_CreatesTheSchema_AsAnAppRoleThatLogsInWithAScramPassword()
    {
        var role = "micai_app_" + Guid.NewGuid().ToString("N")[..12];
        var password = Guid.NewGuid().ToString("N");
        await using (var admin = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(TestServers.AdminDatabaseUrl)))
        {
            await admin.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{password}'");
            await admin.ExecuteAsync($"CREATE DATABASE {role} OWNER {role}");
            Assert.StartsWith("SCRAM-SHA-256$", await admin.ScalarAsync<string>("SELECT rolpassword FROM pg_authid WHERE rolname = $1", role));
        }
        var url = new UriBuilder(TestServers.AdminDatabaseUrl) { UserName = role, Password = password, Path = "/" + role }.Uri.ToString();

        await using var core = await CoreServices.StartAsync(migrate: false, configure: s => s[StorageSettings.Keys.DatabaseUrl] = url);

        Assert.True(await core.Get<Migrator>().ApplyAsync(CancellationToken.None) > 0);
        var db = core.Get<NpgsqlDataSource>();
        Assert.Equal(role, await db.ScalarAsync<string>("SELECT tableowner FROM pg_tables WHERE tablename = 'inbound_messages'"));
        Assert.True(await db.ScalarAsync<bool>("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
    }

    [Fact]
    public async Task Migrate_CreatesTheWholeSchema_AndSeedsTheDefaultAgent()
    {
        await using var core = await CoreServices.StartAsync();
        var db = core.Get<NpgsqlDataSource>();
        foreach (var table in new[] { "agents", "agent_rules", "contacts", "inbound_messages", "conversation_turns", "outbound_messages", "schedules", "schedule_runs", "dead_jobs", "runtime_flags" })
            Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = $1", table));
        Assert.Equal("default", await db.ScalarAsync<string>("SELECT name FROM agents WHERE is_default"));
    }

    /// <summary>The columns that carry a message's bytes compress with lz4, not the slower default (0060).</summary>
    [Fact]
    public async Task Migrate_SetsLz4OnTheMessageColumns_SoALargeNewPayloadIsStoredWithLz4()
    {
        await using var core = await CoreServices.StartAsync();
        var db = core.Get<NpgsqlDataSource>();
        foreach (var (table, column) in new[] { ("inbound_messages", "payload"), ("inbound_messages", "text"),
                     ("conversation_turns", "inbound_text"), ("conversation_turns", "reply_text"), ("outbound_messages", "body") })
            Assert.Equal("l", await db.ScalarAsync<string>(
                "SELECT attcompression::text FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2", table, column));

        var wamid = "wamid.lz4." + Guid.NewGuid().ToString("N");
        var words = string.Join(' ', Enumerable.Range(0, 800).Select(i => $"word{i % 50}"));
        await db.ExecuteAsync("""
            INSERT INTO inbound_messages (wamid, wa_id, type, text, payload) VALUES ($1, '15550001111', 'text', $2, jsonb_build_object('text', $2))
            """, wamid, words);
        Assert.Equal("lz4", await db.ScalarAsync<string>("SELECT pg_column_compression(payload) FROM inbound_messages WHERE wamid = $1", wamid));
        Assert.Equal(words, await db.ScalarAsync<string>("SELECT payload->>'text' FROM inbound_messages WHERE wamid = $1", wamid));
    }

    [Fact]
    public async Task Migrate_AppliesNothing_WhenRunTwice()
    {
        await using var core = await CoreServices.StartAsync(migrate: false);
        Assert.True(await core.Get<Migrator>().ApplyAsync(CancellationToken.None) > 0);
        Assert.Equal(0, await core.Get<Migrator>().ApplyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_IsSafe_WhenThreeProcessesStartTogether()
    {
        await using var core = await CoreServices.StartAsync(migrate: false);
        var migrator = core.Get<Migrator>();
        var applied = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => migrator.ApplyAsync(CancellationToken.None))));
        Assert.Equal(1, applied.Count(n => n > 0)); // exactly one caller did the work; the others waited on the lock and found nothing
        var db = core.Get<NpgsqlDataSource>();
        Assert.Equal((long)applied.Max(), await db.ScalarAsync<long>("SELECT count(*) FROM schemaversions")); // each script once
    }
}
