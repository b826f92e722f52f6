using Microsoft.Extensions.Logging;

namespace MicAi.Core.Scheduling;

internal static partial class SchedulingLog
{
    [LoggerMessage(6000, LogLevel.Information, "Scheduler fired {Count} occurrence(s)")]
    public static partial void Fired(ILogger log, int count);

    [LoggerMessage(6001, LogLevel.Information, "Sweeper re-enqueued {Count} unfinished inbound message(s)")]
    public static partial void Swept(ILogger log, int count);

    [LoggerMessage(6002, LogLevel.Error, "Scheduler tick faulted; next try in {Delay}")]
    public static partial void TickFaulted(ILogger log, Exception ex, TimeSpan delay);
}
