using MicAi.Core.Configuration;
using StackExchange.Redis;

namespace MicAi.Core.Queue;

/// <summary>Every Redis key MicAi uses, under one prefix (tests give each run its own).</summary>
public sealed class RedisKeys(string prefix)
{
    public RedisKeys(MicAiSettings settings) : this(settings.RedisKeyPrefix) { }

    public RedisKey Jobs { get; } = $"{prefix}:jobs";
    public RedisValue WorkerGroup { get; } = "workers";
    public RedisKey DelayedJobs { get; } = $"{prefix}:jobs:delayed";
    public RedisChannel JobsWake { get; } = RedisChannel.Literal($"{prefix}:jobs:wake");
    public RedisKey OutboundPaused { get; } = $"{prefix}:outbound:paused";
    public RedisChannel OutboundFlagChanged { get; } = RedisChannel.Literal($"{prefix}:outbound:changed");
    public RedisKey SchedulerLease { get; } = $"{prefix}:scheduler:lease";
    public RedisKey Heartbeats { get; } = $"{prefix}:heartbeats";
    public RedisKey SchedulerLastTick { get; } = $"{prefix}:scheduler:last_tick";
    public RedisKey Swept(string jobType, string key) => $"{prefix}:swept:{jobType}:{key}";
    public RedisKey RatePhone(string phoneNumberId) => $"{prefix}:rate:phone:{phoneNumberId}";
    public RedisKey RateRecipient(string waId) => $"{prefix}:rate:to:{waId}";
}
