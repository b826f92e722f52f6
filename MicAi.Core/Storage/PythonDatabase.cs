using Npgsql;

namespace MicAi.Core.Storage;

/// <summary>
/// A database the Python mic.ai service made (its SQLAlchemy models' tables). Three of its table names are MicAi's
/// (agent_rules, conversation_turns, schedules), so before MicAi's first script runs every Python table is renamed
/// python_&lt;name&gt; (with its constraints and sequences), in one transaction; migration 0041 then copies the rows into
/// MicAi's tables. A table is taken for Python's by a column only Python's version of it has (name and type), never
/// by its name alone; a renamed table is never renamed again, so this runs once whatever is retried.
/// </summary>
internal static class PythonDatabase
{
    /// <summary>Each Python table with a column (and its type) that only the Python service's version of it has.</summary>
    public static readonly (string Table, string Column, string Type)[] Tables =
    [
        ("agent_rules", "keywords_csv", "text"),
        ("user_agent_bindings", "agent_id", "character varying"),
        ("conversation_turns", "outbound_text", "text"),
        ("inbound_dedup", "message_id", "character varying"),
        ("outbound_sends", "idempotency_key", "character varying"),
        ("schedules", "agent_id", "character varying"),
    ];

    /// <summary>The script that copies the renamed tables into MicAi's (DbUp journals it by this resource name).</summary>
    public const string ImportScript = "MicAi.Core.Storage.Migrations.0041_python_import.sql";

    public static string Renamed(string table) => "python_" + table;

    /// <summary>The Python tables still under their own names, in <see cref="Tables"/> order.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT t.name FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(name, col, type, n)
            JOIN information_schema.columns c
              ON c.table_schema = current_schema() AND c.table_name = t.name AND c.column_name = t.col AND c.data_type = t.type
            ORDER BY t.n
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Tables.Select(t => t.Table).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Tables.Select(t => t.Column).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Tables.Select(t => t.Type).ToArray() });
        var found = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found.Add(reader.Get<string>("name"));
        return found;
    }

    /// <summary>Whether the Python tables are here, under either name (the import has something to copy).</summary>
    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken ct) =>
        (await FindAsync(connection, ct)).Count > 0 || await ScalarAsync<bool>(connection,
            $"SELECT to_regclass('{Renamed(Tables[0].Table)}') IS NOT NULL", ct);

    /// <summary>Renames every Python table found, in one transaction; returns the tables renamed.</summary>
    public static async Task<IReadOnlyList<string>> RenameAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        var tables = await FindAsync(connection, ct);
        foreach (var table in tables)
        {
            await ExecuteAsync(connection, $"ALTER TABLE {Quote(table)} RENAME TO {Quote(Renamed(table))}", ct);
            // Its primary key (agent_rules_pkey) and serial sequence (conversation_turns_id_seq) keep the old table's
            // name: MicAi's own table of that name would get agent_rules_pkey1. They follow the table.
            foreach (var (name, isSequence) in await OwnedNamesAsync(connection, Renamed(table), table + "_", ct))
                await ExecuteAsync(connection, isSequence
                    ? $"ALTER SEQUENCE {Quote(name)} RENAME TO {Quote("python_" + name)}"
                    : $"ALTER TABLE {Quote(Renamed(table))} RENAME CONSTRAINT {Quote(name)} TO {Quote("python_" + name)}", ct);
        }
        await tx.CommitAsync(ct);
        return tables;
    }

    /// <summary>What the conversion would do, for <c>migrate --dry-run</c>: renames, then the rows the import copies.</summary>
    public static async Task<IReadOnlyList<string>> PlanAsync(NpgsqlConnection connection, bool importPending, CancellationToken ct)
    {
        var plan = new List<string>();
        var unrenamed = await FindAsync(connection, ct);
        foreach (var table in unrenamed)
            plan.Add($"rename the Python table {table} to {Renamed(table)} ({await CountAsync(connection, table, ct)} rows; kept until an operator drops it)");
        if (!importPending || !await ExistsAsync(connection, ct)) return plan;

        string Name(string table) => unrenamed.Contains(table) ? table : Renamed(table);
        var agents = await ScalarAsync<long>(connection, $"""
            SELECT count(*) FROM (SELECT agent_id FROM {Name("agent_rules")} UNION SELECT agent_id FROM {Name("user_agent_bindings")}
                                  UNION SELECT agent_id FROM {Name("schedules")}) n
            """, ct);
        plan.Add($"import from the Python tables: {agents} agents (default-agent is the default agent), " +
                 $"{await CountAsync(connection, Name("agent_rules"), ct)} rules, {await CountAsync(connection, Name("user_agent_bindings"), ct)} contacts, " +
                 $"{await CountAsync(connection, Name("conversation_turns"), ct)} conversation turns, {await CountAsync(connection, Name("inbound_dedup"), ct)} seen message ids, " +
                 $"{await CountAsync(connection, Name("outbound_sends"), ct)} ledger rows, {await CountAsync(connection, Name("schedules"), ct)} schedules");
        return plan;
    }

    private static async Task<List<(string Name, bool IsSequence)>> OwnedNamesAsync(
        NpgsqlConnection connection, string table, string oldPrefix, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT conname AS name, false AS is_sequence FROM pg_constraint WHERE conrelid = $1::regclass
            UNION ALL
            SELECT s.relname, true FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            WHERE d.refobjid = $1::regclass AND d.deptype IN ('a', 'i')
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        var names = new List<(string, bool)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (reader.Get<string>("name") is var name && name.StartsWith(oldPrefix, StringComparison.Ordinal))
                names.Add((name, reader.Get<bool>("is_sequence")));
        return names;
    }

    private static Task<long> CountAsync(NpgsqlConnection connection, string table, CancellationToken ct) =>
        ScalarAsync<long>(connection, $"SELECT count(*) FROM {Quote(table)}", ct);

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    // Names come from the fixed table list or the catalogue, never from input; quoted all the same.
    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
