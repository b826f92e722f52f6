using System.Diagnostics;
using MicAi.Core.Storage;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace MicAi.Core.Queue;

/// <summary>
/// One unit of background work: read up to N jobs, run them concurrently, ack the finished ones. Driven by a loop
/// in the Host worker and by a timer in Functions. A job is acked only after its effects are committed (or after it
/// was handed to the retry set / dead letters), so a crash leaves it pending for another consumer.
/// </summary>
/// <param name="handlers">
/// Called at the first job, not at start: the handlers bring the Graph client and its resilience pipeline, which an
/// idle worker does not need (about 5 MB of idle RSS, bench). <see cref="QueueServices"/> registers it.
/// </param>
public sealed class JobRunner(
    JobStream stream, DelayedJobs delayed, DeadJobStore dead, Func<IEnumerable<IJobHandler>> handlers,
    QueueSettings queue, WorkerSettings worker, ILogger<JobRunner> log)
{
    private readonly Lazy<Dictionary<string, IJobHandler>> byType = new(() => handlers().ToDictionary(h => h.Type));

    public Task<int> RunOnceAsync(string consumer, CancellationToken ct) => RunOnceAsync(consumer, ct, ct);

    /// <param name="ct">Cancels the jobs once read (a job cut off stays pending for reclaim).</param>
    /// <param name="stop">
    /// Gives up waiting for the read: StackExchange.Redis takes no token, and with Redis unreachable a read waits for
    /// its timeout, which would hold a stopping process with nothing in flight. A read given up on that still
    /// returns entries leaves them pending under this consumer, reclaimed after the visibility timeout.
    /// </param>
    public async Task<int> RunOnceAsync(string consumer, CancellationToken ct, CancellationToken stop)
    {
        var entries = await stream.ReadAsync(consumer, worker.Concurrency).WaitAsync(stop);
        if (entries.Length == 0) return 0;
        QueueMetrics.Consumed.Add(entries.Length, QueueMetrics.System, QueueMetrics.Destination);

        var finished = await Task.WhenAll(entries.Select(e => RunEntryAsync(e, ct)));
        var acks = new List<RedisValue>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
            if (finished[i]) acks.Add(entries[i].Id);
        await stream.AckAsync(acks);
        return entries.Length;
    }

    /// <returns>true when the entry may be acked.</returns>
    private async Task<bool> RunEntryAsync(StreamEntry entry, CancellationToken ct)
    {
        var job = Job.FromFields(entry.Values);
        if (job is null)
        {
            QueueLog.PoisonEntry(log, entry.Id.ToString());
            return true; // not ours: drop it so it never blocks the stream
        }
        using var span = JobTracing.StartProcess(job, RedisKeys.WorkerGroupName);
        using var scope = log.BeginScope(new JobScope(job));
        var started = Stopwatch.GetTimestamp();
        string? error = null;
        try
        {
            if (!byType.Value.TryGetValue(job.Type, out var handler)) throw new PermanentJobException($"no handler for job type '{job.Type}'");
            await handler.HandleAsync(job, ct);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = "canceled";
            return false; // shutting down: leave it pending for reclaim
        }
        catch (Exception ex)
        {
            error = ex.GetType().Name;
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return await FailAsync(job, ex);
        }
        finally
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (error is null) QueueMetrics.ProcessDuration.Record(seconds, QueueMetrics.System, QueueMetrics.Destination, QueueMetrics.JobType(job.Type));
            else QueueMetrics.ProcessDuration.Record(seconds, QueueMetrics.System, QueueMetrics.Destination, QueueMetrics.JobType(job.Type), new("error.type", error));
        }
    }

    private static bool IsOutage(Exception ex) => StorageFailure.IsUnavailable(ex) || ex is RedisException;

    private async Task<bool> FailAsync(Job job, Exception ex)
    {
        try
        {
            var permanent = ex is PermanentJobException;
            if (IsOutage(ex))
            {
                // Postgres or Redis unreachable is not the job's fault: retry without spending an attempt, so an
                // outage longer than the backoff never turns good jobs into dead ones.
                var delay = Backoff.ForJob(job.Attempt);
                QueueLog.JobRetrying(log, job.Id, job.Type, job.Attempt, delay, ex);
                await delayed.ScheduleAsync(job, delay);
                QueueMetrics.Retried.Add(1, QueueMetrics.JobType(job.Type));
            }
            else if (!permanent && job.Attempt < queue.MaxAttempts)
            {
                var delay = Backoff.ForJob(job.Attempt, (ex as RetryLaterException)?.After);
                QueueLog.JobRetrying(log, job.Id, job.Type, job.Attempt, delay, ex);
                await delayed.ScheduleAsync(job.NextAttempt(), delay);
                QueueMetrics.Retried.Add(1, QueueMetrics.JobType(job.Type));
            }
            else
            {
                QueueLog.JobDead(log, job.Id, job.Type, job.Attempt, ex);
                await dead.AddAsync(job, ex.Message, CancellationToken.None);
                QueueMetrics.Dead.Add(1, QueueMetrics.JobType(job.Type));
            }
            return true;
        }
        catch (Exception recordFailure)
        {
            QueueLog.JobFailureNotRecorded(log, job.Id, recordFailure);
            return false; // keep it pending: reclaim will run it again
        }
    }
}
