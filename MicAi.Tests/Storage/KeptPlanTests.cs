using System.Text.RegularExpressions;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Storage;

/// <summary>
/// The answer's read (answer_context, 0070) and the reply path's writes (0071) are PL/pgSQL routines, so that Postgres
/// keeps their plans per server connection behind the transaction-mode pooler. The plan each keeps is the generic one,
/// made once, perhaps while the tables were empty: it must find every row by key all the same, or each call would scan
/// the growing tables until the next ANALYZE.
/// </summary>
public sealed partial class KeptPlanTests
{
    /// <summary>The tables that grow with traffic: no kept plan may scan them whole.</summary>
    private static readonly string[] GrowingTables = ["inbound_messages", "outbound_messages", "contacts", "conversation_turns"];

    [Fact]
    public Task AnswerContext_KeepsAGenericPlan_ThatLooksUpMessagesAndContactsByKey_EvenWhenMadeOnEmptyTables() =>
        AssertKeepsKeyedGenericPlanAsync("answer_context", "inbound_messages_pkey", "contacts_pkey");

    [Theory]
    [InlineData("store_inbound")]
    [InlineData("touch_contacts", "inbound_messages_pkey")]
    [InlineData("record_turns")]
    [InlineData("mark_inbound", "inbound_messages_pkey")]
    [InlineData("insert_outbound")]
    [InlineData("mark_sent", "outbound_messages_pkey")]
    public Task ReplyPathWrite_KeepsAGenericPlan_ThatFindsEveryRowByKey_EvenWhenMadeOnEmptyTables(string name, params string[] lookups) =>
        AssertKeepsKeyedGenericPlanAsync(name, lookups);

    /// <summary>The routine's settings, then its plan on a fresh database's empty tables and again after they fill.</summary>
    private static async Task AssertKeepsKeyedGenericPlanAsync(string name, params string[] lookups)
    {
        await using var core = await CoreServices.StartAsync();
        var db = core.Get<NpgsqlDataSource>();
        var routine = await ReadRoutineAsync(db, name);
        AssertKeptGeneric(routine);

        // A fresh database: the plan is made on empty tables, as in a new deployment's first minute.
        AssertKeyed(await GenericPlanAsync(db, routine), lookups);
        await FillAsync(db);
        AssertKeyed(await GenericPlanAsync(db, routine), lookups);
    }

    private sealed record Routine(string Name, string Language, string[] Settings, string Body, string[] ArgNames, string[] ArgTypes);

    private static async Task<Routine> ReadRoutineAsync(NpgsqlDataSource db, string name)
    {
        await using var cmd = db.CreateCommand("""
            SELECT l.lanname, coalesce(p.proconfig, '{}'), p.prosrc, oidvectortypes(p.proargtypes),
                   -- the input arguments' names: a RETURNS TABLE's columns are listed among them, as OUT ('t')
                   ARRAY(SELECT n FROM unnest(p.proargnames, coalesce(p.proargmodes::text[], array_fill('i'::text, ARRAY[cardinality(p.proargnames)]))) AS a(n, m)
                         WHERE m IN ('i', 'b'))
            FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.proname = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), $"{name} is not defined");
        return new(name, r.GetString(0), r.GetFieldValue<string[]>(1), r.GetString(2), r.GetFieldValue<string[]>(4), r.GetString(3).Split(", "));
    }

    /// <summary>PL/pgSQL (its plans are kept), the generic plan forced, sequential scans priced out.</summary>
    private static void AssertKeptGeneric(Routine routine) =>
        Assert.Equal("plpgsql enable_seqscan=off plan_cache_mode=force_generic_plan",
            $"{routine.Language} {string.Join(' ', routine.Settings.Order(StringComparer.Ordinal))}");

    private static void AssertKeyed(string plan, params string[] lookups)
    {
        foreach (var table in GrowingTables) Assert.DoesNotContain($"Seq Scan on {table}", plan);
        // An index scan or a bitmap of one: either reads only the asked-for keys.
        foreach (var index in lookups) Assert.Matches($"Index (Only )?Scan (using|on) {index}", plan);
    }

    private static Task FillAsync(NpgsqlDataSource db) => db.ExecuteAsync("""
        INSERT INTO contacts (wa_id) SELECT '4916' || g FROM generate_series(1, 20000) g;
        INSERT INTO inbound_messages (wamid, wa_id, type, text, payload, status)
        SELECT 'wamid.plan.' || g, '4916' || (g % 20000 + 1), 'text', 'hi', '{}', 'processed' FROM generate_series(1, 40000) g;
        INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status)
        SELECT 'reply:wamid.plan.' || g, '4916' || (g % 20000 + 1), 'text', 'hi', 'sent' FROM generate_series(1, 40000) g;
        ANALYZE inbound_messages; ANALYZE contacts; ANALYZE outbound_messages;
        """);

    /// <summary>
    /// The routine's one statement, prepared with its parameters' types and planned with its settings, as it plans it
    /// (EXPLAIN without ANALYZE: a write is planned, not run). Under force_generic_plan the arguments do not shape the
    /// plan, so they are all NULL.
    /// </summary>
    private static async Task<string> GenericPlanAsync(NpgsqlDataSource db, Routine routine)
    {
        var settings = string.Join("; ", routine.Settings.Select(c => c.Split('=', 2)).Select(kv => $"SET LOCAL {kv[0]} = {kv[1]}"));
        var body = routine.Body.Replace("#variable_conflict use_column", "", StringComparison.Ordinal).Trim();
        var statement = Block().Match(body) is { Success: true } block ? block.Groups["statement"].Value
            : throw new Xunit.Sdk.XunitException($"{routine.Name}'s body is not one statement between BEGIN and END:\n{body}");
        for (var i = 0; i < routine.ArgNames.Length; i++)
            statement = Regex.Replace(statement, $@"\b{routine.ArgNames[i]}\b", $"${i + 1}");

        var name = $"kept_{Guid.NewGuid():N}"; // a failed test leaves no name behind on the pooled session for the next
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var prepare = new NpgsqlCommand($"{settings}; PREPARE {name}({string.Join(", ", routine.ArgTypes)}) AS {statement}", connection, tx))
            await prepare.ExecuteNonQueryAsync();
        var lines = new List<string>();
        var nulls = string.Join(", ", routine.ArgTypes.Select(_ => "NULL"));
        await using (var explain = new NpgsqlCommand($"EXPLAIN EXECUTE {name}({nulls})", connection, tx))
        await using (var r = await explain.ExecuteReaderAsync())
            while (await r.ReadAsync()) lines.Add(r.GetString(0));
        // Prepared statements belong to the session, not the transaction, and the pool keeps sessions.
        await using (var deallocate = new NpgsqlCommand($"DEALLOCATE {name}", connection, tx)) await deallocate.ExecuteNonQueryAsync();
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"^BEGIN\s+(?:RETURN QUERY\s+)?(?<statement>.*?);\s*END$", RegexOptions.Singleline)]
    private static partial Regex Block();
}
