using StackExchange.Redis;

namespace MicAi.Core.Queue;

/// <summary>
/// Every Redis key MicAi uses, under one prefix (tests give each run its own). Every name starts with the hash tag
/// <c>{prefix}</c>, so in a Redis Cluster all of a deployment's keys live in one hash slot: a Lua script or a
/// transaction may touch any two of them without CROSSSLOT (the delayed-job promote moves from the delayed set to the
/// stream in one script). One slot is plenty for MicAi's volume: the stream is a single key anyway, so the queue never
/// spreads over nodes whatever the layout, and one node serves far more than MicAi's few commands per reply.
/// </summary>
public sealed class RedisKeys
{
    public RedisKeys(string prefix)
    {
        // A brace in the prefix would move the hash tag and could split the keys over slots.
        if (prefix.Length == 0 || prefix.AsSpan().IndexOfAny('{', '}') >= 0)
            throw new ArgumentException($"a Redis key prefix must be non-empty and free of braces, got '{prefix}'", nameof(prefix));
        Prefix = prefix;
        var p = $"{{{prefix}}}";
        Jobs = $"{p}:jobs";
        DelayedJobs = $"{p}:jobs:delayed";
        JobsWake = RedisChannel.Literal($"{p}:jobs:wake");
        OutboundPaused = $"{p}:outbound:paused";
        OutboundFlagChanged = RedisChannel.Literal($"{p}:outbound:changed");
        SchedulerLease = $"{p}:scheduler:lease";
        Heartbeats = $"{p}:heartbeats";
        SchedulerLastTick = $"{p}:scheduler:last_tick";
        LegacyMigration = $"{p}:legacy:migrating";
        Legacy = new LegacyRedisKeys(prefix);
    }

    public string Prefix { get; }
    public RedisKey Jobs { get; }
    public RedisValue WorkerGroup { get; } = WorkerGroupName;

    public const string WorkerGroupName = "workers";
    public RedisKey DelayedJobs { get; }
    public RedisChannel JobsWake { get; }
    public RedisKey OutboundPaused { get; }
    public RedisChannel OutboundFlagChanged { get; }
    public RedisKey SchedulerLease { get; }
    public RedisKey Heartbeats { get; }
    public RedisKey SchedulerLastTick { get; }
    /// <summary>Held (SET NX PX) while one process moves an older version's queue keys over (<see cref="LegacyQueueMigration"/>).</summary>
    public RedisKey LegacyMigration { get; }
    public RedisKey Swept(string jobType, string key) => $"{{{Prefix}}}:swept:{jobType}:{key}";
    public RedisKey RatePhone(string phoneNumberId) => $"{{{Prefix}}}:rate:phone:{phoneNumberId}";
    public RedisKey RateRecipient(string waId) => $"{{{Prefix}}}:rate:to:{waId}";

    /// <summary>The names MicAi used before the hash tag, where an older version may have left work.</summary>
    public LegacyRedisKeys Legacy { get; }
}

/// <summary>
/// The layout before hash tags (<c>micai:jobs</c>, <c>micai:jobs:delayed</c>): in a cluster these two land in
/// different slots, so the promote script over them fails with CROSSSLOT. Only read to move their work over.
/// </summary>
public sealed record LegacyRedisKeys(string Prefix)
{
    public RedisKey Jobs => $"{Prefix}:jobs";
    public RedisKey DelayedJobs => $"{Prefix}:jobs:delayed";
}
