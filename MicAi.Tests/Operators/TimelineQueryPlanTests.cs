using System.Text.Json.Nodes;
using MicAi.Core.Operators;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Operators;

/// <summary>The timeline page reads through indexes on a large ledger (200k rows), first page and deep pages alike.</summary>
public sealed class TimelineQueryPlanTests
{
    [Fact]
    public async Task TimelinePage_UsesTheContactIndexesOfBothTables_OnA200kRowLedger()
    {
        await using var core = await CoreServices.StartAsync();
        var db = core.Get<NpgsqlDataSource>();
        // 100k inbound and 100k outbound rows over 2,000 contacts, 50 of each per contact.
        await Sql.ExecuteAsync(db, """
            INSERT INTO inbound_messages (wamid, wa_id, type, text, payload, status, received_at)
            SELECT 'wamid.P' || g, 'c' || (g % 2000), 'text', 'hello ' || g, '{}', 'processed', now() - make_interval(secs => g)
            FROM generate_series(1, 100000) g
            """);
        await Sql.ExecuteAsync(db, """
            INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status, created_at, author)
            SELECT 'reply:wamid.P' || g, 'c' || (g % 2000), 'text', 'answer ' || g, 'delivered', now() - make_interval(secs => g) + interval '1 second', 'rule'
            FROM generate_series(1, 100000) g
            """);
        await Sql.ExecuteAsync(db, "ANALYZE inbound_messages");
        await Sql.ExecuteAsync(db, "ANALYZE outbound_messages");

        var first = await PlanAsync(db, null);
        var deep = await PlanAsync(db, new TimelineCursor(DateTimeOffset.UtcNow.AddHours(-20), false, "wamid.P70000"));

        foreach (var plan in new[] { first, deep })
        {
            var nodes = Nodes(plan).ToList();
            Assert.DoesNotContain(nodes, n => n["Node Type"]!.GetValue<string>() == "Seq Scan");
            Assert.Contains(nodes, n => n["Index Name"]?.GetValue<string>() == "inbound_by_contact");
            Assert.Contains(nodes, n => n["Index Name"]?.GetValue<string>() == "outbound_by_recipient");
        }
    }

    private static async Task<JsonObject> PlanAsync(NpgsqlDataSource db, TimelineCursor? before)
    {
        await using var cmd = TimelineStore.PageCommand(db, "c42", before, 50, prefix: "EXPLAIN (FORMAT JSON) ");
        var json = (string)(await cmd.ExecuteScalarAsync())!;
        return JsonNode.Parse(json)!.AsArray()[0]!["Plan"]!.AsObject();
    }

    private static IEnumerable<JsonObject> Nodes(JsonObject plan) =>
        new[] { plan }.Concat((plan["Plans"]?.AsArray() ?? []).SelectMany(p => Nodes(p!.AsObject())));
}
