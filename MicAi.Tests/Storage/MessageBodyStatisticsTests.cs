using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Storage;

/// <summary>
/// ANALYZE samples what the planner reads (keys, contacts, states, times) and skips the message bodies no query
/// filters on (0062): sorting 30,000 sampled 1-3 KB payloads took a core away from waiting webhooks each time
/// autovacuum analyzed inbound_messages.
/// </summary>
public sealed class MessageBodyStatisticsTests
{
    [Fact]
    public async Task Analyze_KeepsStatisticsOfKeysAndStates_AndSkipsMessageBodies()
    {
        await using var core = await CoreServices.StartAsync();
        var db = core.Get<NpgsqlDataSource>();
        await db.ExecuteAsync("""
            INSERT INTO inbound_messages (wamid, wa_id, type, text, payload, status)
            SELECT 'wamid.stats.' || g, '4917' || (g % 50), 'text', repeat('hello ', g % 20),
                   jsonb_build_object('body', repeat('x', g % 300)), CASE WHEN g % 2 = 0 THEN 'processed' ELSE 'received' END
            FROM generate_series(1, 2000) g;
            INSERT INTO conversation_turns (wa_id, inbound_wamid, inbound_text, reply_text, responder)
            SELECT '4917' || (g % 50), 'wamid.stats.' || g, 'hi ' || g, 'hello ' || g, 'rules' FROM generate_series(1, 2000) g;
            INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body)
            SELECT 'reply:wamid.stats.' || g, '4917' || (g % 50), 'text', 'hello ' || g FROM generate_series(1, 2000) g;
            ANALYZE inbound_messages, conversation_turns, outbound_messages;
            """);

        var analyzed = (await db.ScalarAsync<string>("""
            SELECT string_agg(tablename || '.' || attname, ',') FROM pg_stats
            WHERE schemaname = current_schema() AND tablename IN ('inbound_messages', 'conversation_turns', 'outbound_messages')
            """)).Split(',').ToHashSet();

        Assert.Subset(analyzed, new HashSet<string> { "inbound_messages.wa_id", "inbound_messages.status", "conversation_turns.wa_id", "outbound_messages.wa_id" });
        Assert.Empty(analyzed.Intersect(["inbound_messages.payload", "inbound_messages.text", "conversation_turns.inbound_text",
            "conversation_turns.reply_text", "outbound_messages.body"]));
    }
}
