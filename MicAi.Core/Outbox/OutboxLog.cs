using Microsoft.Extensions.Logging;

namespace MicAi.Core.Outbox;

internal static partial class OutboxLog
{
    [LoggerMessage(5000, LogLevel.Debug, "Sent {IdempotencyKey} as {ProviderMessageId}")]
    public static partial void Sent(ILogger log, string idempotencyKey, string providerMessageId);

    [LoggerMessage(5001, LogLevel.Warning, "Send {IdempotencyKey} failed permanently: Graph error {Code} {Title}")]
    public static partial void SendFailed(ILogger log, string idempotencyKey, int? code, string title);

    [LoggerMessage(5002, LogLevel.Critical,
        "Send {IdempotencyKey} hit a configuration error (Graph error {Code}: {Title}, fbtrace {FbTraceId}); outbound is PAUSED until an operator resumes it")]
    public static partial void FatalConfig(ILogger log, string idempotencyKey, int? code, string title, string? fbTraceId);

    [LoggerMessage(5003, LogLevel.Information, "Send {IdempotencyKey} skipped: {Reason}")]
    public static partial void Skipped(ILogger log, string idempotencyKey, string reason);

    [LoggerMessage(5004, LogLevel.Warning,
        "Send {IdempotencyKey} may or may not have reached Meta ({Reason}); marked unknown and never resent automatically: a status webhook settles it, else an operator resolves it (GET /admin/attention)")]
    public static partial void OutcomeUnknown(ILogger log, string idempotencyKey, string reason);

    [LoggerMessage(5005, LogLevel.Warning, "Outbound paused: {Reason}")]
    public static partial void OutboundPaused(ILogger log, string reason);

    [LoggerMessage(5006, LogLevel.Warning, "Outbound resumed")]
    public static partial void OutboundResumed(ILogger log);

    [LoggerMessage(5007, LogLevel.Error, "Outbound flag stored in Postgres but not announced on Redis")]
    public static partial void FlagNotPublished(ILogger log, Exception ex);

    [LoggerMessage(5008, LogLevel.Debug, "Mark-as-read for {Wamid} failed: {Reason}")]
    public static partial void MarkReadFailed(ILogger log, string wamid, string reason);
}
