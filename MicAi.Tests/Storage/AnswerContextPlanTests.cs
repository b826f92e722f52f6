using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Storage;

/// <summary>
/// The answer's read is the PL/pgSQL function answer_context (0070), so that Postgres keeps its plan per server
/// connection behind the transaction-mode pooler. The plan it keeps is the generic one, made once, perhaps while the
/// tables were empty: it must find each message and its contact by key all the same, or every read would scan the
/// growing tables until the next ANALYZE.
/// </summary>
public sealed class AnswerContextPlanTests
{
    [Fact]
    public async Task AnswerContext_KeepsAGenericPlan_ThatLooksUpMessagesAndContactsByKey_EvenWhenMadeOnEmptyTables()
    {
        await using var core = await CoreServices.StartAsync();
        var db = core.Get<NpgsqlDataSource>();
        var function = await ReadFunctionAsync(db);
        Assert.Equal("plpgsql enable_seqscan=off plan_cache_mode=force_generic_plan",
            $"{function.Language} {string.Join(' ', function.Settings.Order(StringComparer.Ordinal))}");

        // A fresh database: the plan is made on empty tables, as in a new deployment's first minute.
        AssertKeyed(await GenericPlanAsync(db, function));

        await db.ExecuteAsync("""
            INSERT INTO contacts (wa_id) SELECT '4916' || g FROM generate_series(1, 20000) g;
            INSERT INTO inbound_messages (wamid, wa_id, type, text, payload, status)
            SELECT 'wamid.plan.' || g, '4916' || (g % 20000 + 1), 'text', 'hi', '{}', 'processed' FROM generate_series(1, 40000) g;
            ANALYZE inbound_messages; ANALYZE contacts;
            """);
        AssertKeyed(await GenericPlanAsync(db, function));
    }

    private sealed record SqlFunction(string Language, string[] Settings, string Body);

    private static async Task<SqlFunction> ReadFunctionAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("""
            SELECT l.lanname, coalesce(p.proconfig, '{}'), p.prosrc
            FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.proname = 'answer_context'
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), "answer_context is not defined");
        return new(r.GetString(0), r.GetFieldValue<string[]>(1), r.GetString(2));
    }

    private static void AssertKeyed(string plan)
    {
        // An index scan or a bitmap of one: either reads only the asked-for keys.
        Assert.Matches("Index Scan (using|on) inbound_messages_pkey", plan);
        Assert.Matches("Index Scan (using|on) contacts_pkey", plan);
        Assert.DoesNotContain("Seq Scan on inbound_messages", plan);
        Assert.DoesNotContain("Seq Scan on contacts", plan);
    }

    /// <summary>The function's own query, prepared with its parameters and planned with its settings, as it plans it.</summary>
    private static async Task<string> GenericPlanAsync(NpgsqlDataSource db, SqlFunction function)
    {
        var body = function.Body;
        var settings = string.Join("; ", function.Settings.Select(c => c.Split('=', 2)).Select(kv => $"SET LOCAL {kv[0]} = {kv[1]}"));
        var query = body[(body.IndexOf("RETURN QUERY", StringComparison.Ordinal) + "RETURN QUERY".Length)..body.LastIndexOf(';')]
            .Replace("p_wamids", "$1").Replace("p_media_types", "$2");
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var prepare = new NpgsqlCommand($"""
            {settings};
            PREPARE answer(text[], text[]) AS {query}
            """, connection, tx))
            await prepare.ExecuteNonQueryAsync();
        var lines = new List<string>();
        await using (var explain = new NpgsqlCommand("EXPLAIN EXECUTE answer('{wamid.plan.7}', '{image}')", connection, tx))
        await using (var r = await explain.ExecuteReaderAsync())
            while (await r.ReadAsync()) lines.Add(r.GetString(0));
        await using (var deallocate = new NpgsqlCommand("DEALLOCATE answer", connection, tx)) await deallocate.ExecuteNonQueryAsync();
        return string.Join('\n', lines);
    }
}
