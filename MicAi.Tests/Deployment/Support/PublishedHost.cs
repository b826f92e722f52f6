using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Deployment.Support;

/// <summary>
/// The published Host that bin/test provides (Postgres and Redis come from <see cref="TestServers"/>). A missing
/// one fails the test with the variable to set, never skips it.
/// </summary>
public static class PublishedHost
{
    public static string Dir => Require("MICAI_TEST_HOST_DIR", "the published MicAi.Host (bin/test publishes it to .artifacts/publish/host)");

    private static string Require(string name, string what)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
            throw new Xunit.Sdk.XunitException($"{name} is not set: it must point to {what}. Run the tests through bin/test.");
        if (name == "MICAI_TEST_HOST_DIR" && !File.Exists(Path.Combine(value, HostRoles.Assembly)))
            throw new Xunit.Sdk.XunitException($"{name}={value} has no {HostRoles.Assembly}: publish MicAi.Host there first.");
        return value;
    }
}

/// <summary>A database of its own for one test, created on the test server and dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string adminConnection;

    private TestDatabase(string adminConnection, string name, string url)
    {
        this.adminConnection = adminConnection;
        Name = name;
        Url = url;
    }

    public string Name { get; }

    /// <summary>URL form, as Render's fromDatabase hands it to the app.</summary>
    public string Url { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var url = await TestServers.CreateDatabaseAsync();
        var admin = MicAi.Core.Configuration.ConnectionStrings.ToNpgsql(TestServers.AdminDatabaseUrl);
        return new TestDatabase(admin, new Uri(url).AbsolutePath.TrimStart('/'), url);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(adminConnection) { Database = Name, Pooling = false };
        await using var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>
    /// Whether a role's start-up migration journaled a script within <paramref name="timeout"/>: a role logs that it
    /// is starting before it migrates, so on a loaded machine the schema may come a little after the log line.
    /// </summary>
    public async Task<bool> IsMigratedWithinAsync(TimeSpan timeout)
    {
        for (var until = DateTime.UtcNow + timeout; ; await Task.Delay(200))
        {
            try { if (await ScalarAsync("SELECT count(*) FROM schemaversions") > 0) return true; }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable) { }
            if (DateTime.UtcNow >= until) return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(adminConnection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
