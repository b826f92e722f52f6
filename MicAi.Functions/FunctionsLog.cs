using Microsoft.Extensions.Logging;

namespace MicAi.Functions;

internal static partial class FunctionsLog
{
    [LoggerMessage(9000, LogLevel.Information, "WorkerPoll handled {Jobs} jobs as {Consumer}")]
    public static partial void WorkerPollDrained(ILogger log, int jobs, string consumer);

    [LoggerMessage(9001, LogLevel.Warning, "{Function} did nothing: {Reason}")]
    public static partial void SkippedNotReady(ILogger log, string function, string reason);

    [LoggerMessage(9002, LogLevel.Warning, "Still unresolved: {Settings}; next check in {Interval}")]
    public static partial void StillUnresolved(ILogger log, string settings, TimeSpan interval);

    [LoggerMessage(9003, LogLevel.Warning, "The settings have changed since start: stopping this worker so the host starts one that loads them")]
    public static partial void SettingsChanged(ILogger log);

    [LoggerMessage(9004, LogLevel.Error, "The database migration at start failed; functions answer 503 until it is applied and the app restarts")]
    public static partial void MigrationFailed(ILogger log, Exception ex);
}
