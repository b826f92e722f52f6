using MicAi.Core.Agents;
using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Agents;

/// <summary>
/// The answer's read and write shared by the jobs that reach them together, on the real tables: a first call held by a
/// row or table lock the test takes, the others queued behind it, then written or read together.
/// </summary>
public sealed class ConversationBatchTests : IAsyncLifetime
{
    private MicAiApiFactory api = null!;
    private NpgsqlDataSource db = null!;

    public async Task InitializeAsync()
    {
        api = new MicAiApiFactory(await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/"));
        db = api.Get<NpgsqlDataSource>();
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    private async Task<string> StoreAsync(string waId, DateTimeOffset sentAt, string? profileName = "Ana")
    {
        var wamid = Webhooks.NewWamid();
        await api.Get<InboundStore>().InsertNewAsync(
            [new InboundMessage(wamid, Webhooks.PhoneNumberId, waId, waId, null, profileName, "text", "hi", Answerable: true, sentAt, null, "{}")],
            CancellationToken.None);
        return wamid;
    }

    private static string NewWaId() => "1555" + Random.Shared.NextInt64(1_000_000, 9_999_999);

    private async Task<long> DefaultAgentAsync()
    {
        await using var cmd = db.CreateCommand("SELECT id FROM agents WHERE is_default");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static OutboundDraft Reply(string wamid, string waId, string body = "hello") =>
        new(OutboundDraft.ReplyKey(wamid), waId, Webhooks.PhoneNumberId, "text", body) { Author = "rule" };

    private Task<bool> CompleteAsync(long agentId, string wamid, string waId, IReadOnlyList<OutboundDraft> replies, bool claimFirst) =>
        api.Get<ConversationStore>().CompleteAsync(
            new ConversationTurn(waId, agentId, wamid, "hi", replies[0].Body, null, "rule"), replies, claimFirst, CancellationToken.None);

    /// <summary>Opens a transaction holding <paramref name="lockSql"/>'s lock until it is disposed (rolled back).</summary>
    private async Task<NpgsqlConnection> HoldAsync(string lockSql, string? wamid = null)
    {
        var conn = await db.OpenConnectionAsync();
        await using (var begin = new NpgsqlCommand("BEGIN", conn)) await begin.ExecuteNonQueryAsync();
        await using var hold = new NpgsqlCommand(lockSql, conn);
        if (wamid is not null) hold.Parameters.Add(new NpgsqlParameter<string> { TypedValue = wamid });
        await hold.ExecuteNonQueryAsync();
        return conn;
    }

    /// <summary>Waits until a statement naming <paramref name="fragment"/> is waiting for a lock.</summary>
    private async Task WaitForBlockedAsync(string fragment)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(20))
            if (await BlockedAsync(fragment) > 0) return;
        throw new TimeoutException($"no statement with '{fragment}' waited for the test's lock");
    }

    /// <summary>How many statements naming <paramref name="fragment"/> wait for a lock.</summary>
    private async Task<long> BlockedAsync(string fragment)
    {
        await using var cmd = db.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "%" + fragment + "%" });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<List<T>> ColumnAsync<T>(string sql, params string[] wamids)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = wamids });
        var values = new List<T>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) values.Add(r.GetFieldValue<T>(0));
        return values;
    }

    [Fact]
    public async Task Complete_OfAnswersFinishingTogether_CommitsThemInOneTransaction_EachCallerToldIfItsFirstReplyWasItsOwn()
    {
        var agentId = await DefaultAgentAsync();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        var (blockerWa, twiceWa, soloWa) = (NewWaId(), NewWaId(), NewWaId());
        var blocker = await StoreAsync(blockerWa, t0);
        var older = await StoreAsync(twiceWa, t0, "Old name");      // one contact, two messages in the same batch
        var newer = await StoreAsync(twiceWa, t0.AddMinutes(1), "New name");
        var solo = await StoreAsync(soloWa, t0);                     // answered by two jobs at once, and split in two parts

        Task<bool> first, olderDone, newerDone, soloDone, soloAgain;
        await using (await HoldAsync("SELECT 1 FROM inbound_messages WHERE wamid = $1 FOR UPDATE", blocker))
        {
            first = CompleteAsync(agentId, blocker, blockerWa, [Reply(blocker, blockerWa)], claimFirst: true);
            await WaitForBlockedAsync("CALL mark_inbound(");
            olderDone = CompleteAsync(agentId, older, twiceWa, [Reply(older, twiceWa)], claimFirst: true);
            newerDone = CompleteAsync(agentId, newer, twiceWa, [Reply(newer, twiceWa)], claimFirst: false);
            var long2 = Reply(solo, soloWa, new string('a', MessageSplitter.MaxTextLength) + " tail").SplitText();
            soloDone = CompleteAsync(agentId, solo, soloWa, long2, claimFirst: true);
            soloAgain = CompleteAsync(agentId, solo, soloWa, long2, claimFirst: true);
        } // rolled back: the first answer goes on, and the others follow as one batch

        Assert.True(await first);
        Assert.Equal((true, true, true, false), (await olderDone, await newerDone, await soloDone, await soloAgain));
        var batchTransactions = await ColumnAsync<string>(
            "SELECT DISTINCT xmin::text FROM conversation_turns WHERE inbound_wamid = ANY($1)", older, newer, solo);
        Assert.Single(batchTransactions);
        Assert.DoesNotContain((await ColumnAsync<string>("SELECT xmin::text FROM conversation_turns WHERE inbound_wamid = ANY($1)", blocker))[0], batchTransactions);
        Assert.Equal(["processed"], await ColumnAsync<string>(
            "SELECT DISTINCT status FROM inbound_messages WHERE wamid = ANY($1)", blocker, older, newer, solo));
        string[] ledger =
        [
            $"{OutboundDraft.ReplyKey(older)} sending 1", $"{OutboundDraft.ReplyKey(newer)} pending 0",
            $"{OutboundDraft.ReplyKey(solo)} sending 1", $"{OutboundDraft.ReplyKey(solo)}#2 pending 0",
        ];
        var stored = await ColumnAsync<string>("""
            SELECT idempotency_key || ' ' || status || ' ' || attempts FROM outbound_messages
            WHERE idempotency_key LIKE ANY (SELECT 'reply:' || w || '%' FROM unnest($1::text[]) w)
            """, older, newer, solo);
        Assert.Equal(ledger.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        await using var contact = db.CreateCommand("SELECT profile_name, last_inbound_at FROM contacts WHERE wa_id = $1");
        contact.Parameters.Add(new NpgsqlParameter<string> { TypedValue = twiceWa });
        await using var r = await contact.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.Equal("New name", r.GetString(0));
        Assert.Equal(t0.AddMinutes(1).ToUnixTimeSeconds(), r.GetFieldValue<DateTimeOffset>(1).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Load_OfJobsStartingTogether_GivesEachItsOwnMessage_WithItsOwnClockForTheHandover_AndNullForAMissingOne()
    {
        var now = DateTimeOffset.UtcNow;
        var (blockerWa, handedWa) = (NewWaId(), NewWaId());
        var blocker = await StoreAsync(blockerWa, now);
        var handed = await StoreAsync(handedWa, now, "Bea");
        await using (var start = db.CreateCommand("INSERT INTO handovers (wa_id, reason, until) VALUES ($1, 'operator', $2)"))
        {
            start.Parameters.Add(new NpgsqlParameter<string> { TypedValue = handedWa });
            start.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.AddMinutes(10) });
            await start.ExecuteNonQueryAsync();
        }
        var store = api.Get<ConversationStore>();

        Task<InboundContext?> first, during, after, missing;
        await using (await HoldAsync("LOCK TABLE handovers IN ACCESS EXCLUSIVE MODE"))
        {
            first = store.LoadAsync(blocker, now, CancellationToken.None);
            await WaitForBlockedAsync("FROM answer_context(");
            during = store.LoadAsync(handed, now, CancellationToken.None);
            after = store.LoadAsync(handed, now.AddMinutes(11), CancellationToken.None);
            missing = store.LoadAsync(Webhooks.NewWamid(), now, CancellationToken.None);
        }

        Assert.Equal((blockerWa, false), ((await first)!.WaId, (await first)!.HandoverActive));
        Assert.Equal((handedWa, "Bea", true), ((await during)!.WaId, (await during)!.ProfileName, (await during)!.HandoverActive));
        Assert.Equal((handedWa, false), ((await after)!.WaId, (await after)!.HandoverActive));
        Assert.Null(await missing);
    }

    [Fact]
    public async Task Load_OfJobsSeeingANewRulesVersionTogether_ReadsAndCompilesTheRulesOnce()
    {
        var agentId = await DefaultAgentAsync();
        await using var bump = db.CreateCommand("UPDATE agents SET rules_version = rules_version + 1 WHERE id = $1 RETURNING rules_version");
        bump.Parameters.Add(new NpgsqlParameter<long> { TypedValue = agentId });
        var version = (long)(await bump.ExecuteScalarAsync())!;
        var cache = api.Get<AgentRuleCache>();

        List<Task<CompiledRules>> jobs;
        long readingAtOnce;
        await using (await HoldAsync("LOCK TABLE agent_rules IN ACCESS EXCLUSIVE MODE"))
        {
            jobs = [.. Enumerable.Range(0, 8).Select(_ => cache.GetAsync(agentId, version, CancellationToken.None).AsTask())];
            await WaitForBlockedAsync("FROM agent_rules r");
            await Task.Delay(500); // time for any other job's read to reach Postgres too
            readingAtOnce = await BlockedAsync("FROM agent_rules r");
        }

        Assert.Equal(1, readingAtOnce);
        Assert.All(await Task.WhenAll(jobs), rules => Assert.Equal(version, rules.Version));
    }
}
