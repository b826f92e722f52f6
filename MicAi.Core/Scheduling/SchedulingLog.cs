using Microsoft.Extensions.Logging;

namespace MicAi.Core.Scheduling;

internal static partial class SchedulingLog
{
    [LoggerMessage(6000, LogLevel.Information, "Scheduler fired {Count} occurrence(s)")]
    public static partial void Fired(ILogger log, int count);

    [LoggerMessage(6001, LogLevel.Warning, "Sweeper re-enqueued {Inbound} inbound and {Outbound} outbound row(s) whose job was lost")]
    public static partial void Swept(ILogger log, int inbound, int outbound);

    [LoggerMessage(6002, LogLevel.Error, "Scheduler tick faulted; next try in {Delay}")]
    public static partial void TickFaulted(ILogger log, Exception ex, TimeSpan delay);

    [LoggerMessage(6003, LogLevel.Warning, "{Count} send(s) lost their worker during the Graph call: marked unknown and never resent automatically; a status webhook settles each, else an operator resolves it (GET /admin/attention)")]
    public static partial void MarkedUnknown(ILogger log, int count);

    [LoggerMessage(8005, LogLevel.Information, "Scheduler {Holder} leader: {Leading}")]
    public static partial void Leadership(ILogger log, string holder, bool leading);

    [LoggerMessage(6004, LogLevel.Warning, "Schedule run {IdempotencyKey} stored but not enqueued (Redis unavailable); the sweeper sends it once Redis is back")]
    public static partial void RunEnqueueDeferred(ILogger log, string idempotencyKey, Exception ex);
}
