using MicAi.Core.Configuration;
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
    /// Longer than a second by the jitter between taking a slot and the request reaching Meta, so requests that took
    /// their slots a window apart cannot arrive inside one second.
    /// </summary>
    public static readonly TimeSpan PhoneWindow = TimeSpan.FromMilliseconds(1050);

    /// <summary>A recipient wait longer than this is not slept through: the job is deferred, freeing the worker.</summary>
    public static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(5);

    // Sliding log: members scored by µs; returns 0 when a slot was taken, else µs until the oldest leaves the window.
    private const string PhoneScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
          redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[3])
          redis.call('PEXPIRE', KEYS[1], math.floor(window / 1000) + 1000)
          return 0
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return math.max(1, tonumber(oldest[2]) + window - now)
        """;

    // Next free time per recipient (µs). Reserves the slot and returns the wait, or -wait without reserving when the
    // wait exceeds ARGV[2]; ARGV[3] > 0 pushes the next free time out instead (back-off after 131056).
    private const string RecipientScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local nextAt = tonumber(redis.call('GET', KEYS[1]) or '0')
        local penalty = tonumber(ARGV[3])
        if penalty > 0 then
          local untilAt = math.max(nextAt, now + penalty)
          redis.call('SET', KEYS[1], string.format('%.0f', untilAt), 'PX', math.floor((untilAt - now) / 1000) + 1000)
          return 0
        end
        local slot = math.max(now, nextAt)
        local wait = slot - now
        if wait > tonumber(ARGV[2]) then return -wait end
        local interval = tonumber(ARGV[1])
        if interval > 0 or nextAt > 0 then
          redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', math.floor((wait + interval) / 1000) + 1000)
        end
        return wait
        """;

    /// <summary>
    /// Takes the recipient's next slot and returns how long to wait for it, or null (nothing reserved) when the slot
    /// is further away than <see cref="MaxInlineWait"/>; then <paramref name="deferFor"/> says how long.
    /// </summary>
    public async Task<(TimeSpan? Wait, TimeSpan DeferFor)> ReserveRecipientAsync(string waId)
    {
        var result = (long)await redis.GetDatabase().ScriptEvaluateAsync(RecipientScript, [keys.RateRecipient(waId)],
            [Micros(settings.RecipientMinInterval), Micros(MaxInlineWait), 0]);
        return result < 0 ? (null, FromMicros(-result)) : (FromMicros(result), TimeSpan.Zero);
    }

    /// <summary>After a 131056: no send to this recipient before <paramref name="penalty"/> has passed. Others are unaffected.</summary>
    public Task BackOffRecipientAsync(string waId, TimeSpan penalty) =>
        redis.GetDatabase().ScriptEvaluateAsync(RecipientScript, [keys.RateRecipient(waId)],
            [Micros(settings.RecipientMinInterval), Micros(MaxInlineWait), Math.Max(1, Micros(penalty))]);

    /// <summary>Waits until the phone number id has a free slot in the current window, then takes it.</summary>
    public async Task WaitForPhoneSlotAsync(string phoneNumberId, CancellationToken ct)
    {
        var db = redis.GetDatabase();
        while (true)
        {
            var wait = (long)await db.ScriptEvaluateAsync(PhoneScript, [keys.RatePhone(phoneNumberId)],
                [settings.RatePerSecond, Micros(PhoneWindow), Guid.NewGuid().ToString("N")]);
            if (wait == 0) return;
            await Task.Delay(FromMicros(wait), ct);
        }
    }

    private static long Micros(TimeSpan t) => t.Ticks / TimeSpan.TicksPerMicrosecond;

    private static TimeSpan FromMicros(long micros) => TimeSpan.FromTicks(micros * TimeSpan.TicksPerMicrosecond);
}
