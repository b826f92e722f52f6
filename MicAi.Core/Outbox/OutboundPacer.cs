using MicAi.Core.Telemetry;
using MicAi.Core.Queue;
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

    // Members scored by the µs time their slot frees up: takes one for `hold` µs when fewer than `rate` are held.
    private const string TakePhone = """
        local function take_phone(key, rate, hold, slot)
          redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now))
          if redis.call('ZCARD', key) >= rate then return false end
          redis.call('ZADD', key, string.format('%.0f', now + hold), slot)
          redis.call('PEXPIRE', key, math.floor(hold / 1000) + 1000)
          return true
        end

        """;

    // Returns 0 when a slot was taken, else µs to wait.
    private const string AcquirePhoneScript = Clock + TakePhone + """
        if take_phone(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]) then return 0 end
        local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return math.max(1, math.min(tonumber(first[2]) - now, tonumber(ARGV[4])))
        """;

    // The call is over: the slot frees up one window from now.
    private const string ReleasePhoneScript = Clock + """
        redis.call('ZADD', KEYS[1], 'XX', string.format('%.0f', now + tonumber(ARGV[1])), ARGV[2])
        return 0
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

    // The usual send in one round trip: the recipient's slot, and when it is free now, a phone slot too.
    // Returns { recipient result as RecipientScript's, 1 when the phone slot was taken else 0 }.
    private const string RecipientAndPhoneScript = Clock + PaceRecipient + TakePhone + """
        local wait = pace_recipient(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), 0)
        if wait ~= 0 then return { wait, 0 } end
        return { 0, take_phone(KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]) and 1 or 0 }
        """;

    /// <summary>
    /// <see cref="ReserveRecipientAsync"/> and, when the recipient's slot is free right now, a phone slot as
    /// <see cref="AcquirePhoneSlotAsync"/> would take it (its name returned), in one round trip. Without a phone slot
    /// the recipient's is still reserved, and the caller waits for it and then acquires the phone slot as before.
    /// </summary>
    public async Task<(TimeSpan? Wait, TimeSpan DeferFor, string? PhoneSlot)> ReserveAsync(string waId, string phoneNumberId)
    {
        var slot = Guid.NewGuid().ToString("N");
        using var span = RedisSpans.Start("EVALSHA", "pace recipient and phone");
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(RecipientAndPhoneScript,
            [keys.RateRecipient(waId), keys.RatePhone(phoneNumberId)],
            [Micros(settings.RecipientMinInterval), Micros(MaxInlineWait), settings.RatePerSecond, Micros(MaxHold), slot]))!;
        var (wait, taken) = ((long)result[0], (long)result[1] == 1);
        return wait < 0 ? (null, FromMicros(-wait), null) : (FromMicros(wait), TimeSpan.Zero, taken ? slot : null);
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
    /// </summary>
    public async Task ReleasePhoneSlotAsync(string phoneNumberId, string slot)
    {
        try
        {
            await EvalAsync("release phone slot", ReleasePhoneScript, keys.RatePhone(phoneNumberId), [Micros(PhoneWindow), slot]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException) { } // RedisTimeoutException is a TimeoutException
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
