using Npgsql;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// The real Postgres (with PgBouncer in front) and Redis that bin/test starts on loopback, shaped like managed
/// services: Postgres has a password and speaks TLS only, with a certificate from the rig's own CA. Each test class
/// gets its own database and its own Redis key prefix, so classes run in parallel without seeing each other's data.
/// </summary>
public static class TestServers
{
    /// <summary>The superuser, straight to the server (password, sslmode=verify-full, sslrootcert = the rig's CA).</summary>
    public static string AdminDatabaseUrl => Required("MICAI_TEST_DATABASE_URL");

    /// <summary>The same server and user through PgBouncer in transaction mode, which lets any database name through.</summary>
    public static string PoolerUrl => Required("MICAI_TEST_POOLER_URL");

    public static string RedisUrl => Required("MICAI_TEST_REDIS_URL");

    /// <summary>A file of the rig's CA and server certificate (MICAI_TEST_TLS_DIR: ca.crt, server.crt, server.key).</summary>
    public static string TlsFile(string name) => Path.Combine(Required("MICAI_TEST_TLS_DIR"), name);

    public static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the tests through bin/test, which starts Postgres and Redis.");

    /// <summary>Creates an empty database and returns its URL (postgresql://…/name).</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "micai_t_" + Guid.NewGuid().ToString("N")[..16];
        var admin = new NpgsqlConnectionStringBuilder(Core.Configuration.ConnectionStrings.ToNpgsql(AdminDatabaseUrl)) { Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await cmd.ExecuteNonQueryAsync();
        }
        var uri = new UriBuilder(AdminDatabaseUrl) { Path = "/" + name };
        return uri.Uri.ToString();
    }

    /// <summary>The database <paramref name="databaseUrl"/> names, reached through PgBouncer instead of directly.</summary>
    public static string ThroughPooler(string databaseUrl)
    {
        var pooler = new Uri(PoolerUrl);
        return new UriBuilder(databaseUrl) { Host = pooler.Host, Port = pooler.Port }.Uri.ToString();
    }

    public static string NewRedisPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];
}
