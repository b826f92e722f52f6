using Npgsql;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// The real Postgres and Redis that bin/test starts on loopback. Each test class gets its own database and its
/// own Redis key prefix, so classes run in parallel without seeing each other's data.
/// </summary>
public static class TestServers
{
    public static string AdminDatabaseUrl => Required("MICAI_TEST_DATABASE_URL");
    public static string RedisUrl => Required("MICAI_TEST_REDIS_URL");

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

    public static string NewRedisPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];
}
