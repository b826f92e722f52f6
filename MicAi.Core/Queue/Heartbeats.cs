using StackExchange.Redis;

namespace MicAi.Core.Queue;

/// <summary>Whether a process that beat is still beating (a clean stop removes the beat; a crash or a kill leaves it).</summary>
public enum ProcessState
{
    Running,
    Stopped,
}

/// <summary>One process's last sign of life; Stopped once it is older than <see cref="Heartbeats.StoppedAfter"/>.</summary>
public sealed record ProcessBeat(string Role, string Name, DateTimeOffset LastSeen, double AgeSeconds, ProcessState State);

/// <summary>What /admin/stats shows about the background processes (Render gives workers no health check).</summary>
public sealed record PipelineStats(IReadOnlyList<ProcessBeat> Processes, string? SchedulerLeader, DateTimeOffset? LastTickAt, double? LastTickAgeSeconds);

/// <summary>Worker and scheduler heartbeats: one Redis hash, a field per process holding its last beat in Unix ms.</summary>
public sealed class Heartbeats(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time)
{
    /// <summary>Beats older than this are dropped when read: that process is long gone.</summary>
    public static readonly TimeSpan Forget = TimeSpan.FromDays(1);

    /// <summary>
    /// A beat older than this is from a process that stopped: six of a worker's 5 s beats (a scheduler beats every 2 s,
    /// a Functions instance on each WorkerPoll run, every 5 s by default) missed in a row, so a slow pass never
    /// reads as a stop.
    /// </summary>
    public static readonly TimeSpan StoppedAfter = TimeSpan.FromSeconds(30);

    /// <summary>Unique per process: the container's host name plus the pid (pid is 1 in every container).</summary>
    public static string ProcessName { get; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public Task BeatAsync(string role, string name) =>
        redis.GetDatabase().HashSetAsync(keys.Heartbeats, $"{role}/{name}", time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Removes the beat on a clean stop, so stats list only processes that may still be running.</summary>
    public Task StoppedAsync(string role, string name) => redis.GetDatabase().HashDeleteAsync(keys.Heartbeats, $"{role}/{name}");

    /// <summary>False while Redis cannot be reached: a stopping process then does not wait to remove its beat.</summary>
    public bool Reachable => redis.IsConnected;

    public Task TickedAsync() => redis.GetDatabase().StringSetAsync(keys.SchedulerLastTick, time.GetUtcNow().ToUnixTimeMilliseconds());

    public async Task<PipelineStats> ReadAsync()
    {
        var db = redis.GetDatabase();
        var now = time.GetUtcNow();
        var beats = new List<ProcessBeat>();
        var stale = new List<RedisValue>();
        foreach (var field in await db.HashGetAllAsync(keys.Heartbeats))
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds((long)field.Value);
            if (now - at > Forget) { stale.Add(field.Name); continue; }
            var name = field.Name.ToString();
            var slash = name.IndexOf('/');
            var state = now - at > StoppedAfter ? ProcessState.Stopped : ProcessState.Running;
            beats.Add(new ProcessBeat(name[..Math.Max(0, slash)], name[(slash + 1)..], at, Age(now, at), state));
        }
        if (stale.Count > 0) await db.HashDeleteAsync(keys.Heartbeats, stale.ToArray());
        var leader = await db.StringGetAsync(keys.SchedulerLease);
        var tick = await db.StringGetAsync(keys.SchedulerLastTick);
        DateTimeOffset? tickAt = tick.HasValue ? DateTimeOffset.FromUnixTimeMilliseconds((long)tick) : null;
        return new PipelineStats(beats.OrderBy(b => b.Role).ThenBy(b => b.Name).ToList(), leader.HasValue ? leader.ToString() : null,
            tickAt, tickAt is { } t ? Age(now, t) : null);
    }

    private static double Age(DateTimeOffset now, DateTimeOffset at) => Math.Round((now - at).TotalSeconds, 1);
}
