using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MicAi.Core.Queue;

/// <summary>
/// Crash recovery. A stream entry read but not acked within the visibility timeout belongs to a worker that died
/// (or hung): XAUTOCLAIM takes it over and puts a fresh copy at the end of the stream for any worker to read, in one
/// atomic script. Each copy carries how often it was abandoned; an entry abandoned QueueMaxAttempts times (it keeps
/// killing its worker) becomes a dead job instead, so poison never circulates forever.
/// Run by the scheduler tick and by every worker on start and periodically; running it twice at once is safe.
/// </summary>
public sealed class StaleJobs(
    IConnectionMultiplexer redis, RedisKeys keys, JobStream stream, DeadJobStore dead, QueueSettings settings, ILogger<StaleJobs> log)
{
    private const string Claimer = "reclaimer";
    private const int Batch = 100;

    // KEYS[1] stream; ARGV: group, claimer, min idle ms, count, max deliveries.
    // Returns {requeued, claimed, {{id, fields}, …}} where the nested list holds entries to dead-letter; those stay
    // pending under the claimer until the caller has written them to dead_jobs and acked them.
    private const string ReclaimScript = """
        local res = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], '0-0', 'COUNT', ARGV[4])
        local requeued, dead = 0, {}
        for _, e in ipairs(res[2]) do
          local id, f = e[1], e[2]
          if f then
            local copy, reclaims, ours = {}, 0, false
            for i = 1, #f, 2 do
              if f[i] == 'reclaims' then reclaims = tonumber(f[i + 1]) or 0
              else copy[#copy + 1] = f[i]; copy[#copy + 1] = f[i + 1] end
              if f[i] == 'id' then ours = true end
            end
            if ours and reclaims + 1 >= tonumber(ARGV[5]) then
              dead[#dead + 1] = {id, f}
            else
              if ours then
                copy[#copy + 1] = 'reclaims'; copy[#copy + 1] = tostring(reclaims + 1)
                redis.call('XADD', KEYS[1], '*', unpack(copy))
                requeued = requeued + 1
              end
              redis.call('XACK', KEYS[1], ARGV[1], id)
              redis.call('XDEL', KEYS[1], id)
            end
          else
            redis.call('XACK', KEYS[1], ARGV[1], id)
          end
        end
        return {requeued, #res[2], dead}
        """;

    /// <summary>Requeues every job pending longer than the visibility timeout. Returns how many went back to the stream.</summary>
    public async Task<int> ReclaimAsync(CancellationToken ct)
    {
        await stream.EnsureGroupAsync();
        var minIdle = (long)settings.VisibilityTimeout.TotalMilliseconds;
        var requeued = 0;
        for (var round = 0; round < 20 && !ct.IsCancellationRequested; round++)
        {
            RedisResult[] result;
            try
            {
                result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ReclaimScript, [keys.Jobs],
                    [keys.WorkerGroup, Claimer, minIdle, Batch, settings.MaxAttempts]))!;
            }
            catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
            {
                stream.ForgetGroup(); // Redis lost its data: nothing to reclaim, the sweeper re-enqueues from Postgres
                return requeued;
            }
            requeued += (int)result[0];
            await DeadLetterAsync((RedisResult[])result[2]!, ct);
            if ((int)result[1] < Batch) break;
        }
        if (requeued > 0)
        {
            QueueLog.Reclaimed(log, requeued);
            await redis.GetSubscriber().PublishAsync(keys.JobsWake, RedisValue.EmptyString, CommandFlags.FireAndForget);
        }
        return requeued;
    }

    private async Task DeadLetterAsync(RedisResult[] entries, CancellationToken ct)
    {
        if (entries.Length == 0) return;
        var acks = new List<RedisValue>(entries.Length);
        foreach (var entry in entries)
        {
            var parts = (RedisResult[])entry!;
            var flat = (RedisValue[])parts[1]!;
            var fields = new NameValueEntry[flat.Length / 2];
            for (var i = 0; i < fields.Length; i++) fields[i] = new NameValueEntry(flat[2 * i], flat[2 * i + 1]);
            var job = Job.FromFields(fields)!;
            QueueLog.JobAbandoned(log, job.Id, job.Type, settings.MaxAttempts);
            await dead.AddAsync(job, $"abandoned by its worker {settings.MaxAttempts} times (crash or timeout)", ct);
            acks.Add((RedisValue)parts[0]);
        }
        await stream.AckAsync(acks);
    }
}
