using MicAi.Core.Telemetry;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using StackExchange.Redis;

namespace MicAi.Core.Outbox;

/// <summary>
/// Keeps every worker together under Meta's limits, through Redis: a sliding one-second window per sending phone
/// number id (throughput, default 80 messages/s) and a minimum spacing per recipient (the pair rate limit, 131056).
/// Over a limit a send waits for its slot; it is never dropped. Both scripts read Redis's clock, so workers on
/// different machines agree on time; the waits therefore run on the real clock, not the injected TimeProvider.
/// </summary>
public sealed class OutboundPacer(IConnectionMultiplexer redis, RedisKeys keys, OutboundSettings settings)
{
    /// <summary>
    /// A phone slot is held from the moment a request may leave until one second after its answer came back. Every
    /// request that reaches Meta within any one second therefore held its slot at one same instant, so no second at
    /// Meta sees more than the rate, however the network or a busy machine bunches requests together. The price:
    /// each slot is busy for one second plus the call's latency, a little under the nominal rate at full load.
    /// </summary>
    public static readonly TimeSpan PhoneWindow = TimeSpan.FromSeconds(1);

    /// <summary>How long a slot stays held if its release never comes (the worker died mid-call).</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(45);

    /// <summary>When every slot is in flight, look again this often.</summary>
    private static readonly TimeSpan PollInFlight = TimeSpan.FromMilliseconds(50);

    /// <summary>A recipient wait longer than this is not slept through: the job is deferred, freeing the worker.</summary>
    public static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(5);

    // Redis's clock in µs, as every script reads it.
    private const string Clock = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])

        """;

    // Members scored by the µs time their slot frees up: takes one for `hold` µs when fewer than `rate` are held. At one
    // reading of the clock a key's freed slots are dropped and its slots counted once per script (a second look would
    // find nothing new); expire_taken then sets each key that gained a slot to expire once, at the end.
    private const string TakePhone = """
        local held, taken = {}, {}
        local function take_phone(key, rate, hold, slot)
          if held[key] == nil then
            redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now))
            held[key] = redis.call('ZCARD', key)
          end
          if held[key] >= rate then return false end
          redis.call('ZADD', key, string.format('%.0f', now + hold), slot)
          held[key], taken[key] = held[key] + 1, true
          return true
        end
        local function expire_taken(hold)
          for key in pairs(taken) do redis.call('PEXPIRE', key, math.floor(hold / 1000) + 1000) end
        end

        """;

    // Returns 0 when a slot was taken, else µs to wait.
    private const string AcquirePhoneScript = Clock + TakePhone + """
        if take_phone(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]) then expire_taken(tonumber(ARGV[2])) return 0 end
        local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return math.max(1, math.min(tonumber(first[2]) - now, tonumber(ARGV[4])))
        """;

    // Meta said the number is over its throughput: hold every slot until ARGV[2] µs from now (GT: never shorten).
    private const string CoolDownPhoneScript = Clock + """
        local untilAt = string.format('%.0f', now + tonumber(ARGV[2]))
        for i = 1, tonumber(ARGV[1]) do redis.call('ZADD', KEYS[1], 'GT', untilAt, 'cooldown:' .. i) end
        redis.call('PEXPIRE', KEYS[1], math.floor(tonumber(ARGV[2]) / 1000) + tonumber(ARGV[3]))
        return 0
        """;

    // Next free time per recipient (µs). Reserves the slot and returns the wait, or -wait without reserving when the
    // wait exceeds maxWait; penalty > 0 pushes the next free time out instead (back-off after 131056).
    private const string PaceRecipient = """
        local function pace_recipient(key, interval, maxWait, penalty)
          local nextAt = tonumber(redis.call('GET', key) or '0')
          if penalty > 0 then
            local untilAt = math.max(nextAt, now + penalty)
            redis.call('SET', key, string.format('%.0f', untilAt), 'PX', math.floor((untilAt - now) / 1000) + 1000)
            return 0
          end
          local slot = math.max(now, nextAt)
          local wait = slot - now
          if wait > maxWait then return -wait end
          if interval > 0 or nextAt > 0 then
            redis.call('SET', key, string.format('%.0f', slot + interval), 'PX', math.floor((wait + interval) / 1000) + 1000)
          end
          return wait
        end

        """;

    private const string RecipientScript = Clock + PaceRecipient + """
        return pace_recipient(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
        """;

    // The usual send in one round trip: the recipient's slot, and when it is free now, a phone slot too, for the sends
    // of every caller waiting (see ReserveAsync). KEYS are each send's recipient and phone keys in turn; ARGV the
    // shared limits, then each send's slot name. Each send is paced as a script of its own would pace it, in order,
    // all at one reading of the clock. Returns per send { recipient result as RecipientScript's, 1 when the phone slot
    // was taken else 0 }, flattened.
    private const string ReserveManyScript = Clock + PaceRecipient + TakePhone + """
        local interval, maxWait, rate, hold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        local out = {}
        for i = 1, #KEYS, 2 do
          local wait = pace_recipient(KEYS[i], interval, maxWait, 0)
          out[#out + 1] = wait
          out[#out + 1] = wait == 0 and take_phone(KEYS[i + 1], rate, hold, ARGV[4 + (i + 1) / 2]) and 1 or 0
        end
        expire_taken(hold)
        return out
        """;

    // Every waiting caller's release (see ReleasePhoneSlotAsync): the slot ARGV[i + 1] of KEYS[i] frees up one window from now.
    private const string ReleaseManyScript = Clock + """
        local freeAt = string.format('%.0f', now + tonumber(ARGV[1]))
        for i = 1, #KEYS do redis.call('ZADD', KEYS[i], 'XX', freeAt, ARGV[i + 1]) end
        return 0
        """;

    private GroupCommit<(string WaId, string PhoneNumberId, string Slot), (long Wait, bool Taken)>? reserves;
    private GroupCommit<(string PhoneNumberId, string Slot), bool>? releases;

    /// <summary>
    /// <see cref="ReserveRecipientAsync"/> and, when the recipient's slot is free right now, a phone slot as
    /// <see cref="AcquirePhoneSlotAsync"/> would take it (its name returned), in one round trip. Without a phone slot
    /// the recipient's is still reserved, and the caller waits for it and then acquires the phone slot as before.
    /// The reserves of sends that start together are one script call (<see cref="GroupCommit{TRequest, TResult}"/>):
    /// at load a call each was two thirds of Redis's commands per reply, and each Lua call cost Redis more than its
    /// commands (bench/README.md, "Pacing in batches").
    /// </summary>
    public async Task<(TimeSpan? Wait, TimeSpan DeferFor, string? PhoneSlot)> ReserveAsync(string waId, string phoneNumberId)
    {
        var slot = Guid.NewGuid().ToString("N");
        using var span = RedisSpans.Start("EVALSHA", "pace recipient and phone");
        var (wait, taken) = await LazyInitializer.EnsureInitialized(ref reserves, () => new(ReserveManyAsync))
            .WriteAsync((waId, phoneNumberId, slot));
        return wait < 0 ? (null, FromMicros(-wait), null) : (FromMicros(wait), TimeSpan.Zero, taken ? slot : null);
    }

    private async Task<(long Wait, bool Taken)[]> ReserveManyAsync(IReadOnlyList<(string WaId, string PhoneNumberId, string Slot)> sends)
    {
        var keyList = new RedisKey[sends.Count * 2];
        var args = new RedisValue[4 + sends.Count];
        (args[0], args[1], args[2], args[3]) = (Micros(settings.RecipientMinInterval), Micros(MaxInlineWait), settings.RatePerSecond, Micros(MaxHold));
        for (var i = 0; i < sends.Count; i++)
        {
            (keyList[2 * i], keyList[2 * i + 1]) = (keys.RateRecipient(sends[i].WaId), keys.RatePhone(sends[i].PhoneNumberId));
            args[4 + i] = sends[i].Slot;
        }
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ReserveManyScript, keyList, args))!;
        var paced = new (long Wait, bool Taken)[sends.Count];
        for (var i = 0; i < paced.Length; i++) paced[i] = ((long)result[2 * i], (long)result[2 * i + 1] == 1);
        return paced;
    }

    /// <summary>
    /// Takes the recipient's next slot and returns how long to wait for it, or null (nothing reserved) when the slot
    /// is further away than <see cref="MaxInlineWait"/>; then <paramref name="deferFor"/> says how long.
    /// </summary>
    public async Task<(TimeSpan? Wait, TimeSpan DeferFor)> ReserveRecipientAsync(string waId)
    {
        var result = (long)await EvalAsync("pace recipient", RecipientScript, keys.RateRecipient(waId),
            [Micros(settings.RecipientMinInterval), Micros(MaxInlineWait), 0]);
        return result < 0 ? (null, FromMicros(-result)) : (FromMicros(result), TimeSpan.Zero);
    }

    /// <summary>After a 131056: no send to this recipient before <paramref name="penalty"/> has passed. Others are unaffected.</summary>
    public Task BackOffRecipientAsync(string waId, TimeSpan penalty) =>
        EvalAsync("back off recipient", RecipientScript, keys.RateRecipient(waId),
            [Micros(settings.RecipientMinInterval), Micros(MaxInlineWait), Math.Max(1, Micros(penalty))]);

    /// <summary>Waits until the phone number id has a free slot, takes it, and returns its name for <see cref="ReleasePhoneSlotAsync"/>.</summary>
    public async Task<string> AcquirePhoneSlotAsync(string phoneNumberId, CancellationToken ct)
    {
        var slot = Guid.NewGuid().ToString("N");
        while (true)
        {
            var wait = (long)await EvalAsync("acquire phone slot", AcquirePhoneScript, keys.RatePhone(phoneNumberId),
                [settings.RatePerSecond, Micros(MaxHold), slot, Micros(PollInFlight)]);
            if (wait == 0) return slot;
            await Task.Delay(FromMicros(wait), ct);
        }
    }

    /// <summary>
    /// After the call (whatever its outcome): the slot frees up one window later. Best effort: if Redis cannot be
    /// reached the slot frees itself after <see cref="MaxHold"/>, and the send's outcome must still be recorded.
    /// The releases of calls that end together are one script call, as reserves are (<see cref="ReserveAsync"/>).
    /// </summary>
    public async Task ReleasePhoneSlotAsync(string phoneNumberId, string slot)
    {
        try
        {
            using var span = RedisSpans.Start("EVALSHA", "release phone slot");
            await LazyInitializer.EnsureInitialized(ref releases, () => new(ReleaseManyAsync)).WriteAsync((phoneNumberId, slot));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException) { } // RedisTimeoutException is a TimeoutException
    }

    private async Task<bool[]> ReleaseManyAsync(IReadOnlyList<(string PhoneNumberId, string Slot)> slots)
    {
        var args = new RedisValue[1 + slots.Count];
        args[0] = Micros(PhoneWindow);
        for (var i = 0; i < slots.Count; i++) args[1 + i] = slots[i].Slot;
        await redis.GetDatabase().ScriptEvaluateAsync(ReleaseManyScript, [.. slots.Select(s => keys.RatePhone(s.PhoneNumberId))], args);
        return new bool[slots.Count];
    }

    /// <summary>
    /// After a throughput error (130429 and the like): no worker sends from this number for <paramref name="pause"/>.
    /// </summary>
    public Task CoolDownPhoneAsync(string phoneNumberId, TimeSpan pause) =>
        EvalAsync("cool down phone", CoolDownPhoneScript, keys.RatePhone(phoneNumberId),
            [settings.RatePerSecond, Micros(pause), (long)MaxHold.TotalMilliseconds]);

    /// <summary>One pacing script on one key, as a client span of the message's trace when one is recorded.</summary>
    private async Task<RedisResult> EvalAsync(string what, string script, RedisKey key, RedisValue[] args)
    {
        using var span = RedisSpans.Start("EVALSHA", what);
        return await redis.GetDatabase().ScriptEvaluateAsync(script, [key], args);
    }

    private static long Micros(TimeSpan t) => t.Ticks / TimeSpan.TicksPerMicrosecond;

    private static TimeSpan FromMicros(long micros) => TimeSpan.FromTicks(micros * TimeSpan.TicksPerMicrosecond);
}
