using MicAi.Core.Inbox;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Storage;

/// <summary>
/// The messages still waiting (for the bot, after a failure, behind a handover) are a handful among a day of answered
/// ones: the attention list's "unanswered" and the sweeper read them through the partial index inbound_waiting (0061),
/// not every message of the day.
/// </summary>
public sealed class WaitingIndexTests
{
    [Fact]
    public async Task UnansweredAndTheSweepersQuery_ReadTheWaitingIndex_AmongADayOfAnsweredMessages()
    {
        await using var core = await CoreServices.StartAsync();
        var db = core.Get<NpgsqlDataSource>();
        await db.ExecuteAsync("""
            INSERT INTO inbound_messages (wamid, wa_id, type, text, payload, status, error, received_at)
            SELECT 'wamid.waiting.' || g, '4917' || (g % 5000), 'text', 'hi', '{}',
                   CASE WHEN g % 5000 = 1 THEN 'received' WHEN g % 5000 = 2 THEN 'failed' WHEN g % 5000 = 3 THEN 'ignored' ELSE 'processed' END,
                   CASE WHEN g % 5000 = 3 THEN $1 END, now() - make_interval(secs => g % 80000)
            FROM generate_series(1, 40000) g
            """, HandoverStore.IgnoredReason);
        await db.ExecuteAsync("ANALYZE inbound_messages");

        var unanswered = await db.ScalarAsync<string>("EXPLAIN (FORMAT JSON) " + InboundStore.UnansweredSql,
            DateTimeOffset.UtcNow.AddHours(-24), DateTimeOffset.UtcNow.AddMinutes(-1), 50);
        var sweeper = await db.ScalarAsync<string>("EXPLAIN (FORMAT JSON) " + InboundStore.FindUnansweredSql, TimeSpan.FromMinutes(2), "inbound", 50);

        Assert.Contains("\"Index Name\": \"inbound_waiting\"", unanswered);
        Assert.Contains("\"Index Name\": \"inbound_waiting\"", sweeper);
        // And the rows it finds are the waiting ones: one of each kind per 5,000.
        var found = await core.Get<InboundStore>().UnansweredAsync(DateTimeOffset.UtcNow.AddHours(-24), DateTimeOffset.UtcNow.AddMinutes(-1), 1000, CancellationToken.None);
        Assert.Equal(["failed", "ignored", "received"], found.Select(m => m.Status).Distinct().Order());
    }
}
