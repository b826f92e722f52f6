using StackExchange.Redis;

namespace MicAi.Core.Queue;

/// <summary>Retries wait in a sorted set scored by due time; due ones are moved back to the stream atomically.</summary>
public sealed class DelayedJobs(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time)
{
    // Move at most ARGV[2] due members to the stream in one step, so two promoters never duplicate a job. The trace
    // parent goes with the job, so a retry is processed in the message's trace (Job.TraceParentField).
    private const string PromoteScript = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
        for _, json in ipairs(due) do
          redis.call('ZREM', KEYS[1], json)
          local job = cjson.decode(json)
          if type(job.TraceParent) == 'string' then
            redis.call('XADD', KEYS[2], '*', 'id', job.Id, 'type', job.Type, 'key', job.Key, 'attempt', job.Attempt, 'at', ARGV[3], 'traceparent', job.TraceParent)
          else
            redis.call('XADD', KEYS[2], '*', 'id', job.Id, 'type', job.Type, 'key', job.Key, 'attempt', job.Attempt, 'at', ARGV[3])
          end
        end
        return #due
        """;

    public Task ScheduleAsync(Job job, TimeSpan delay) =>
        redis.GetDatabase().SortedSetAddAsync(keys.DelayedJobs, job.Serialize(), (time.GetUtcNow() + delay).ToUnixTimeMilliseconds());

    public async Task<int> PromoteDueAsync(int max = 500)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var moved = (int)await redis.GetDatabase().ScriptEvaluateAsync(PromoteScript,
            [keys.DelayedJobs, keys.Jobs], [now, max, now]);
        if (moved > 0) await redis.GetSubscriber().PublishAsync(keys.JobsWake, RedisValue.EmptyString, CommandFlags.FireAndForget);
        return moved;
    }

    public Task<long> CountAsync() => redis.GetDatabase().SortedSetLengthAsync(keys.DelayedJobs);
}
