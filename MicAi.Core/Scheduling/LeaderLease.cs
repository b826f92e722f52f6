using MicAi.Core.Queue;
using StackExchange.Redis;

namespace MicAi.Core.Scheduling;

/// <summary>
/// Makes one scheduler process active: a Redis key set with NX and a TTL (the lease period), extended by its holder
/// on every tick with a compare-and-extend script and deleted on a clean stop. A standby that finds the key free
/// takes over, so a dead holder is replaced within two lease periods. Correctness does not rest on the lease
/// (occurrences are claimed as unique rows); it only keeps a second scheduler from doing the same work.
/// </summary>
public sealed class LeaderLease(IConnectionMultiplexer redis, RedisKeys keys, SchedulerSettings settings)
{
    private const string HoldScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        return 0
        """;

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>The holder's name: the process name plus a random part, so two leases in one process differ.</summary>
    public string Holder { get; } = $"{Heartbeats.ProcessName}-{Guid.NewGuid().ToString("N")[..6]}";

    public TimeSpan Period => settings.Lease;

    /// <summary>Takes the lease if it is free or extends it if this process holds it. False: another scheduler is active.</summary>
    public async Task<bool> TryHoldAsync() =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(HoldScript, [keys.SchedulerLease], [Holder, (long)Period.TotalMilliseconds]) == 1;

    public async Task ReleaseAsync() =>
        await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [keys.SchedulerLease], [Holder]);
}
