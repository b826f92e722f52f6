using MicAi.Core.Queue;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MicAi.Core.Outbox;

/// <summary>What an operator sees of the kill switch.</summary>
public sealed record OutboundState(bool OutboundEnvEnabled, bool OutboundPaused, bool OutboundEffective, string? PauseReason);

/// <summary>
/// Effective outbound = MICAI_OUTBOUND_REPLY_ENABLED (deploy-time) AND not paused at runtime. The pause is persisted
/// in Postgres (survives restarts), mirrored in a Redis key and announced on a Redis channel: every process applies
/// an announcement as it arrives, and re-reads the key at most <see cref="RefreshInterval"/> after its last look in
/// case an announcement was missed (pub/sub is fire-and-forget). If Redis lost the key, Postgres is the truth.
/// </summary>
public sealed class OutboundSwitch(
    OutboundSettings settings, RuntimeFlagStore flags, IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time,
    ILogger<OutboundSwitch> log)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private bool paused;
    private long checkedAt;     // TimeProvider timestamp of the last read or announcement
    private bool loaded;
    private long generation;    // bumped by every announcement, so a slower read never overwrites a newer value
    private int subscribed;

    public bool EnvEnabled => settings.ReplyEnabled;

    public async Task<bool> IsOpenAsync(CancellationToken ct) => EnvEnabled && !await IsPausedAsync(ct);

    /// <summary>The runtime pause as this process knows it, at most about a second old.</summary>
    public async Task<bool> IsPausedAsync(CancellationToken ct)
    {
        await EnsureSubscribedAsync();
        long seen;
        lock (gate)
        {
            if (loaded && time.GetElapsedTime(checkedAt) < RefreshInterval) return paused;
            seen = generation;
        }
        var fresh = await ReadPausedAsync(ct);
        lock (gate)
        {
            if (generation == seen) Set(fresh);
            return paused;
        }
    }

    public async Task<OutboundState> StateAsync(CancellationToken ct)
    {
        var isPaused = await ReadPausedAsync(ct);
        var reason = isPaused ? await flags.GetAsync(RuntimeFlagStore.OutboundPauseReason, ct) : null;
        return new OutboundState(EnvEnabled, isPaused, EnvEnabled && !isPaused, reason);
    }

    /// <summary>Pauses or resumes outbound for every process: Postgres first (durable), then Redis key + announcement.</summary>
    public async Task SetPausedAsync(bool pause, string reason, CancellationToken ct)
    {
        await flags.SetAsync(new Dictionary<string, string>
        {
            [RuntimeFlagStore.OutboundPaused] = pause ? "true" : "false",
            [RuntimeFlagStore.OutboundPauseReason] = pause ? reason : "",
        }, ct);
        Announced(pause);
        var value = pause ? "1" : "0";
        try
        {
            var db = redis.GetDatabase();
            await db.StringSetAsync(keys.OutboundPaused, value);
            await redis.GetSubscriber().PublishAsync(keys.OutboundFlagChanged, value);
        }
        catch (RedisException ex)
        {
            // Stored in Postgres: processes that cannot reach Redis read the flag from there.
            OutboxLog.FlagNotPublished(log, ex);
        }
        if (pause) OutboxLog.OutboundPaused(log, reason);
        else OutboxLog.OutboundResumed(log);
    }

    /// <summary>The flag straight from the shared stores: the Redis key, else Postgres (which then refills Redis).</summary>
    public async Task<bool> ReadPausedAsync(CancellationToken ct)
    {
        try
        {
            var db = redis.GetDatabase();
            var value = await db.StringGetAsync(keys.OutboundPaused);
            if (value.HasValue) return value == "1";
            var stored = await flags.GetAsync(RuntimeFlagStore.OutboundPaused, ct) == "true";
            // NX: never overwrite a value an operator set between our two reads.
            await db.StringSetAsync(keys.OutboundPaused, stored ? "1" : "0", when: When.NotExists);
            return stored;
        }
        catch (RedisException)
        {
            return await flags.GetAsync(RuntimeFlagStore.OutboundPaused, ct) == "true";
        }
    }

    private async Task EnsureSubscribedAsync()
    {
        if (Volatile.Read(ref subscribed) == 1 || Interlocked.Exchange(ref subscribed, 1) == 1) return;
        try
        {
            await redis.GetSubscriber().SubscribeAsync(keys.OutboundFlagChanged, (_, message) => Announced(message == "1"));
        }
        catch (RedisException)
        {
            Volatile.Write(ref subscribed, 0); // the periodic read still works; subscribe again next time
        }
    }

    private void Announced(bool value)
    {
        lock (gate)
        {
            generation++;
            Set(value);
        }
    }

    private void Set(bool value)
    {
        paused = value;
        loaded = true;
        checkedAt = time.GetTimestamp();
    }
}
