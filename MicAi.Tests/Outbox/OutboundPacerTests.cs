using System.Diagnostics;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace MicAi.Tests.Outbox;

/// <summary>Pacing through Redis: per phone number id throughput and per recipient spacing; nothing dropped.</summary>
public abstract class OutboundPacerContract(ITestOutputHelper output) : OnRedis
{
    private async Task<OutboundPacer> PacerAsync(int ratePerSecond, TimeSpan recipientInterval)
    {
        var redis = await ConnectAsync();
        return new OutboundPacer(redis, new RedisKeys(TestServers.NewRedisPrefix()), new OutboundSettings(true, 24, null, "en_US", ratePerSecond, recipientInterval));
    }

    /// <summary>The most requests the stub saw inside any one-second window (arrival times at the stub).</summary>
    private static int MaxInAnySecond(IEnumerable<DateTimeOffset> arrivals)
    {
        var at = arrivals.Order().ToArray();
        var max = 0;
        for (int start = 0, end = 0; start < at.Length; start++)
        {
            while (end < at.Length && at[end] - at[start] < TimeSpan.FromSeconds(1)) end++;
            max = Math.Max(max, end - start);
        }
        return max;
    }

    [Fact]
    public async Task RecipientSlots_AreSpacedByTheInterval_AndFarSlotsAreDeferredWithoutReserving()
    {
        var pacer = await PacerAsync(80, TimeSpan.FromSeconds(1));
        // Each wait is counted from Redis's clock at the call, so a slot's own time lies between (sent + wait) and
        // (answered + wait) on this clock: consecutive slots must be one interval apart within those bounds, however
        // slow a busy machine makes the calls.
        var clock = Stopwatch.StartNew();
        var slots = new List<(TimeSpan Earliest, TimeSpan Latest)>();
        for (var i = 0; i < 6; i++)
        {
            var sent = clock.Elapsed;
            var waited = (await pacer.ReserveRecipientAsync("15550002222")).Wait!.Value;
            slots.Add((sent + waited, clock.Elapsed + waited));
        }

        var rounding = TimeSpan.FromMilliseconds(3); // Redis's wall clock may be slewed against this monotonic one (≤ 0.5 ms/s)
        for (var i = 1; i < 6; i++)
            Assert.InRange(TimeSpan.FromSeconds(1), slots[i].Earliest - slots[i - 1].Latest - rounding, slots[i].Latest - slots[i - 1].Earliest + rounding);
        var (wait, deferFor) = await pacer.ReserveRecipientAsync("15550002222");
        Assert.Null(wait); // 6 s away: more than MaxInlineWait
        Assert.InRange(deferFor.TotalSeconds, 5.5, 6.0);
        Assert.Null((await pacer.ReserveRecipientAsync("15550002222")).Wait); // the deferred one reserved nothing
        Assert.Equal(TimeSpan.Zero, (await pacer.ReserveRecipientAsync("15550003333")).Wait); // others unaffected
    }

    [Fact]
    public async Task BackOff_DelaysOnlyThatRecipient()
    {
        var pacer = await PacerAsync(80, TimeSpan.Zero);
        await pacer.BackOffRecipientAsync("15550002222", TimeSpan.FromSeconds(3));

        Assert.InRange((await pacer.ReserveRecipientAsync("15550002222")).Wait!.Value.TotalSeconds, 2.8, 3.0);
        Assert.Equal(TimeSpan.Zero, (await pacer.ReserveRecipientAsync("15550003333")).Wait);
    }

    [Fact]
    public async Task PhoneSlot_FreesUpOneSecondAfterItsCallEnds_NotBefore()
    {
        const string phone = "106540352242922";
        var pacer = await PacerAsync(5, TimeSpan.Zero);
        var slots = new List<string>();
        for (var i = 0; i < 5; i++) slots.Add(await pacer.AcquirePhoneSlotAsync(phone, CancellationToken.None));
        await pacer.AcquirePhoneSlotAsync("999999999", CancellationToken.None); // another number has its own slots

        // All five in flight: the sixth waits until one call ends, and then one second more.
        var sixth = pacer.AcquirePhoneSlotAsync(phone, CancellationToken.None);
        await Task.Delay(300);
        Assert.False(sixth.IsCompleted, "a slot was free while all five calls were in flight");
        var clock = Stopwatch.StartNew();
        await pacer.ReleasePhoneSlotAsync(phone, slots[0]);
        await sixth;
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.95, 2.0);
    }

    [Fact]
    public async Task Reserve_TakesTheRecipientAndAPhoneSlotInOneCall_ButNoPhoneSlotWhileTheRecipientMustWaitOrNoneIsFree()
    {
        const string phone = "106540352242922";
        var pacer = await PacerAsync(2, TimeSpan.FromSeconds(1));

        var calls = Stopwatch.StartNew();
        var both = await pacer.ReserveAsync("15550002222", phone);
        Assert.Equal(TimeSpan.Zero, both.Wait);
        Assert.NotNull(both.PhoneSlot);
        var spaced = await pacer.ReserveAsync("15550002222", phone); // the same recipient a second later: its slot only
        // A second after the first call, less however long the two calls took (Redis's clock runs the script).
        var slack = TimeSpan.FromMilliseconds(3);
        Assert.InRange(spaced.Wait!.Value, TimeSpan.FromSeconds(1) - calls.Elapsed - slack, TimeSpan.FromSeconds(1) + slack);
        Assert.Null(spaced.PhoneSlot);
        Assert.NotNull((await pacer.ReserveAsync("15550003333", phone)).PhoneSlot); // the second of two phone slots
        var full = await pacer.ReserveAsync("15550004444", phone);
        Assert.Equal((TimeSpan.Zero, (string?)null), (full.Wait, full.PhoneSlot)); // recipient reserved; both phone slots held

        // The held slots are ordinary phone slots: released, each frees up one window later. Timed from before the
        // release is sent, since Redis's clock starts the window when it runs the release, however late its answer.
        var clock = Stopwatch.StartNew();
        await pacer.ReleasePhoneSlotAsync(phone, both.PhoneSlot!);
        await pacer.AcquirePhoneSlotAsync(phone, CancellationToken.None);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1) - slack, TimeSpan.FromSeconds(2));

        var sparse = await PacerAsync(1, TimeSpan.FromSeconds(6));
        Assert.NotNull((await sparse.ReserveAsync("15550002222", phone)).PhoneSlot);
        var far = await sparse.ReserveAsync("15550002222", "999999999"); // 6 s away: deferred, and no phone slot taken
        Assert.Equal(((TimeSpan?)null, (string?)null), (far.Wait, far.PhoneSlot));
        Assert.InRange(far.DeferFor.TotalSeconds, 5.5, 6.0);
        Assert.NotNull((await sparse.ReserveAsync("15550003333", "999999999")).PhoneSlot); // that number's one slot was still free
    }

    [Fact]
    public async Task ConcurrentReserves_GoToRedisTogether_AndEachIsPacedAsIfItRanAlone()
    {
        const string phone = "106540352242922", busy = "15559999999";
        var redis = await ConnectAsync();
        var pacer = new OutboundPacer(redis, new RedisKeys(TestServers.NewRedisPrefix()),
            new OutboundSettings(true, 24, null, "en_US", 20, TimeSpan.FromSeconds(1)));
        // 30 recipients once each, then one recipient ten times; all started at once, in this order.
        var recipients = Enumerable.Range(0, 30).Select(i => $"1555{i:D7}").Concat(Enumerable.Repeat(busy, 10)).ToArray();
        var before = redis.GetCounters().Interactive.OperationCount;

        var paced = await Task.WhenAll(recipients.Select(to => pacer.ReserveAsync(to, phone)));

        var calls = redis.GetCounters().Interactive.OperationCount - before;
        Assert.InRange(calls, 1, 8); // one script call each would be 40
        // As forty calls one after another would have it: the phone's 20 slots go to the first 20 sends, and only
        // to sends whose recipient is free now.
        Assert.Equal(Enumerable.Range(0, 20), paced.Select((p, i) => (p, i)).Where(x => x.p.PhoneSlot is not null).Select(x => x.i));
        Assert.All(paced[..31], p => Assert.Equal(TimeSpan.Zero, p.Wait));
        // The busy recipient: slots 1 s apart up to MaxInlineWait (5 s), then deferred with nothing reserved.
        for (var k = 1; k <= 5; k++) Assert.InRange(paced[30 + k].Wait!.Value.TotalSeconds, k - 0.5, k);
        Assert.All(paced[36..], p => Assert.Equal(((TimeSpan?)null, (string?)null), (p.Wait, p.PhoneSlot)));
        Assert.All(paced[36..], p => Assert.InRange(p.DeferFor.TotalSeconds, 5.5, 6.0));
    }

    [Fact]
    public async Task ConcurrentReleases_GoToRedisTogether_AndEachSlotFreesUpOneWindowAfterItsRelease()
    {
        const string phone = "106540352242922";
        var redis = await ConnectAsync();
        var keys = new RedisKeys(TestServers.NewRedisPrefix());
        var pacer = new OutboundPacer(redis, keys, new OutboundSettings(true, 24, null, "en_US", 20, TimeSpan.Zero));
        var slots = (await Task.WhenAll(Enumerable.Range(0, 20).Select(i => pacer.ReserveAsync($"1555{i:D7}", phone))))
            .Select(p => p.PhoneSlot!).ToArray();
        var db = redis.GetDatabase();
        var heldUntil = await db.SortedSetRangeByRankWithScoresAsync(keys.RatePhone(phone));
        var before = redis.GetCounters().Interactive.OperationCount;
        var releasedFrom = await RedisMicrosAsync(db, keys.RatePhone(phone));

        await Task.WhenAll(slots.Select(slot => pacer.ReleasePhoneSlotAsync(phone, slot)));

        var releasedBy = await RedisMicrosAsync(db, keys.RatePhone(phone));
        Assert.InRange(redis.GetCounters().Interactive.OperationCount - before, 3, 8); // the two clock reads + the releases (one call each: 22)
        var freeAt = await db.SortedSetRangeByRankWithScoresAsync(keys.RatePhone(phone));
        Assert.Equal(slots.Order(), freeAt.Select(e => e.Element.ToString()).Order());
        Assert.All(heldUntil, e => Assert.True(e.Score > releasedBy + 40e6, "held for MaxHold until released"));
        Assert.All(freeAt, e => Assert.InRange(e.Score, releasedFrom + 1e6, releasedBy + 1e6));
    }

    /// <summary>Redis's clock in µs, as the pacer's scripts read it (the key only routes the call to its cluster node).</summary>
    private static async Task<double> RedisMicrosAsync(IDatabase db, RedisKey key) =>
        (double)await db.ScriptEvaluateAsync("local t = redis.call('TIME') return t[1] * 1000000 + t[2]", [key]);

    [Fact]
    public async Task ManySends_ToManyRecipients_StayUnderTheRate_AndNoneIsDropped()
    {
        const int rate = 250, count = 2000;
        await using var host = await OutboxAsync(s =>
        {
            s[OutboundSettings.Keys.RatePerSecond] = rate.ToString();
        });
        var keys = await QueueBulkAsync(host, Enumerable.Range(0, count).Select(i => $"1777{i:D7}").ToArray());

        await Task.WhenAll(host.DrainAsync("w1"), host.DrainAsync("w2"));

        var arrivals = host.Graph.Messages.Select(m => m.At).ToArray();
        Assert.Equal(count, arrivals.Length);
        Assert.Equal(count, host.Graph.Messages.Select(m => m.Body["biz_opaque_callback_data"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal((long)count, await host.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'sent'"));
        output.WriteLine($"{count} sends in {arrivals.Max() - arrivals.Min()}, at most {MaxInAnySecond(arrivals)} in any second (rate {rate})");
        Assert.InRange(MaxInAnySecond(arrivals), 1, rate);
        Assert.True(arrivals.Max() - arrivals.Min() >= TimeSpan.FromSeconds(count / rate - 1), "faster than the rate allows");
        Assert.Equal(count, keys.Length);
    }

    [Fact]
    public async Task BurstToOneRecipient_StaysUnderTheRate_IsSpacedOut_AndNoneIsDropped()
    {
        const int count = 200, rate = 50, intervalMs = 10;
        await using var host = await OutboxAsync(s =>
        {
            s[OutboundSettings.Keys.RatePerSecond] = rate.ToString();
            s[OutboundSettings.Keys.RecipientMinIntervalMs] = intervalMs.ToString();
        });
        var to = OutboxHost.NewRecipient();
        await QueueBulkAsync(host, Enumerable.Repeat(to, count).ToArray());

        await Task.WhenAll(host.DrainAsync("w1"), host.DrainAsync("w2"));

        var arrivals = host.Graph.Messages.Where(m => m.To == to).Select(m => m.At).Order().ToArray();
        Assert.Equal(count, arrivals.Length);
        Assert.Equal((long)count, await host.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'sent'"));
        output.WriteLine($"{count} sends to one recipient in {arrivals[^1] - arrivals[0]}, at most {MaxInAnySecond(arrivals)} in any second (rate {rate})");
        Assert.InRange(MaxInAnySecond(arrivals), 1, rate);
        // Recipient slots are 10 ms apart (the spacing itself is asserted exactly on the pacer above); arrivals
        // jitter around their slots on a busy machine, so here only the overall spread is checked.
        Assert.True(arrivals[^1] - arrivals[0] >= TimeSpan.FromSeconds(count / rate - 1), $"span {arrivals[^1] - arrivals[0]}");
    }

    [Fact]
    public async Task SendFarFromItsRecipientSlot_IsDeferred_WithoutSpendingAnAttempt()
    {
        await using var host = await OutboxAsync(s => s[OutboundSettings.Keys.RecipientMinIntervalMs] = "10000");
        var to = OutboxHost.NewRecipient();
        await host.AddContactAsync(to, TimeSpan.FromHours(1));
        var keys = new[] { await host.QueueTextAsync(to), await host.QueueTextAsync(to) };
        var started = host.Time.GetUtcNow();

        await host.DrainAsync();

        Assert.Single(host.Graph.Messages);
        var rows = new[] { await host.RowAsync(keys[0]), await host.RowAsync(keys[1]) };
        var waiting = Assert.Single(rows, r => r.Status != "sent");
        Assert.Equal(("pending", 0), (waiting.Status, waiting.Attempts));
        var deferred = Assert.Single(await host.DelayedAsync());
        Assert.Equal(1, deferred.Job.Attempt); // pacing is not a failure
        Assert.InRange((deferred.Due - started).TotalSeconds, 8, 11);
    }

    /// <summary>Rows and jobs for many sends at once (one SQL statement, one pipelined enqueue).</summary>
    private static async Task<string[]> QueueBulkAsync(OutboxHost host, string[] recipients)
    {
        var keys = recipients.Select((_, i) => $"bulk:{i}:{Guid.NewGuid():N}").ToArray();
        await host.Db.ExecuteAsync("""
            INSERT INTO contacts (wa_id, last_inbound_at) SELECT DISTINCT unnest($1::text[]), now() ON CONFLICT DO NOTHING
            """, (object)recipients); // one array parameter, not params
        await host.Db.ExecuteAsync("""
            INSERT INTO outbound_messages (idempotency_key, wa_id, phone_number_id, kind, body)
            SELECT k, w, $3, 'text', 'paced hello' FROM unnest($1::text[], $2::text[]) AS t(k, w)
            """, (object)keys, recipients, Webhooks.PhoneNumberId);
        var now = DateTimeOffset.UtcNow;
        await host.Api.Get<JobStream>().EnqueueAsync(keys.Select(k => Job.New(JobTypes.Send, k, now)).ToArray());
        return keys;
    }
}

public sealed class OutboundPacerTests(ITestOutputHelper output) : OutboundPacerContract(output)
{
    protected override string RedisUrl => TestServers.RedisUrl;
}

[Collection(RedisClusterCollection.Name)]
public sealed class OutboundPacerClusterTests(PrivateRedisCluster cluster, ITestOutputHelper output) : OutboundPacerContract(output)
{
    protected override string RedisUrl => cluster.Url;
}
