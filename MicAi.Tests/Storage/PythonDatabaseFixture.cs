using MicAi.Core.Configuration;
using Npgsql;

namespace MicAi.Tests.Storage;

/// <summary>
/// A database as the Python mic.ai service left it: its schema and typical rows (TestData/python-micai, from
/// ../shared/fixtures), loaded straight into a fresh test database through the rig's direct URL.
/// </summary>
public static class PythonDatabaseFixture
{
    /// <summary>Row counts of MicAi's tables and the journal, one string: equal before and after means nothing changed.</summary>
    public const string Snapshot = """
        SELECT (SELECT count(*) FROM agents) || '/' || (SELECT count(*) FROM agent_rules) || '/' || (SELECT count(*) FROM contacts) || '/' ||
               (SELECT count(*) FROM conversation_turns) || '/' || (SELECT count(*) FROM inbound_messages) || '/' ||
               (SELECT count(*) FROM outbound_messages) || '/' || (SELECT count(*) FROM schedules) || '/' || (SELECT count(*) FROM schemaversions)
        """;

    public static string File(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "python-micai", name);

    /// <summary>A fresh database holding the Python service's tables and rows; returns its URL.</summary>
    public static async Task<string> CreateAsync()
    {
        var url = await Infrastructure.TestServers.CreateDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(url));
        await using var connection = await db.OpenConnectionAsync();
        foreach (var script in new[] { "schema.sql", "data.sql" })
        {
            // Simple query protocol: several statements in one command, as psql would send the file.
            await using var cmd = new NpgsqlCommand(await System.IO.File.ReadAllTextAsync(File(script)), connection);
            await cmd.ExecuteNonQueryAsync();
        }
        return url;
    }
}
