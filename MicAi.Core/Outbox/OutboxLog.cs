using Microsoft.Extensions.Logging;

namespace MicAi.Core.Outbox;

internal static partial class OutboxLog
{
    [LoggerMessage(5000, LogLevel.Debug, "Sent {IdempotencyKey} as {ProviderMessageId}")]
    public static partial void Sent(ILogger log, string idempotencyKey, string providerMessageId);

    [LoggerMessage(5001, LogLevel.Warning, "Send {IdempotencyKey} failed permanently: Graph error {Code} {Title}")]
    public static partial void SendFailed(ILogger log, string idempotencyKey, int? code, string title);
}
