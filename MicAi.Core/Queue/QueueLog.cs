using Microsoft.Extensions.Logging;

namespace MicAi.Core.Queue;

internal static partial class QueueLog
{
    [LoggerMessage(2000, LogLevel.Warning, "Dropped stream entry {EntryId}: not a MicAi job")]
    public static partial void PoisonEntry(ILogger log, string entryId);

    [LoggerMessage(2001, LogLevel.Warning, "Job {JobId} ({JobType}) attempt {Attempt} failed; retrying in {Delay}")]
    public static partial void JobRetrying(ILogger log, string jobId, string jobType, int attempt, TimeSpan delay, Exception ex);

    [LoggerMessage(2002, LogLevel.Error, "Job {JobId} ({JobType}) is dead after {Attempt} attempt(s)")]
    public static partial void JobDead(ILogger log, string jobId, string jobType, int attempt, Exception ex);

    [LoggerMessage(2003, LogLevel.Error, "Job {JobId} failed and the failure could not be recorded; it stays pending")]
    public static partial void JobFailureNotRecorded(ILogger log, string jobId, Exception ex);

    [LoggerMessage(2004, LogLevel.Error, "Worker loop faulted; next try in {Delay}")]
    public static partial void LoopFaulted(ILogger log, Exception ex, TimeSpan delay);

    [LoggerMessage(2005, LogLevel.Warning, "Requeued {Count} job(s) abandoned past the visibility timeout")]
    public static partial void Reclaimed(ILogger log, int count);

    [LoggerMessage(2006, LogLevel.Error, "Job {JobId} ({JobType}) was abandoned {Deliveries} times; moved to dead jobs")]
    public static partial void JobAbandoned(ILogger log, string jobId, string jobType, int deliveries);

    [LoggerMessage(2007, LogLevel.Information, "Moved {Entries} stream entries from {OldStream} and {Delayed} delayed jobs from {OldDelayed}, left by an older MicAi, to the hash-tagged keys")]
    public static partial void LegacyMoved(ILogger log, long entries, string oldStream, long delayed, string oldDelayed);

    [LoggerMessage(2008, LogLevel.Warning, "Redis key {Key} is a {Type}, not the {Expected} an older MicAi kept there: left untouched")]
    public static partial void LegacyKeyForeign(ILogger log, string key, string type, string expected);

    [LoggerMessage(2009, LogLevel.Information, "Took over {Count} job(s) the Python mic.ai service left in its Redis list {List}")]
    public static partial void PythonJobsDrained(ILogger log, long count, string list);

    [LoggerMessage(8004, LogLevel.Error, "Reclaiming abandoned jobs or moving an older version's failed; the next pass or the scheduler will retry")]
    public static partial void ReclaimFailed(ILogger log, Exception ex);
}
