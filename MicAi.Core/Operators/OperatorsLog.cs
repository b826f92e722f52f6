using Microsoft.Extensions.Logging;

namespace MicAi.Core.Operators;

internal static partial class OperatorsLog
{
    [LoggerMessage(11000, LogLevel.Warning, "Operator send {IdempotencyKey} stored but not enqueued (Redis unavailable); the sweeper sends it once Redis is back")]
    public static partial void EnqueueDeferred(ILogger log, string idempotencyKey, Exception ex);

    [LoggerMessage(11001, LogLevel.Information, "Unknown send {IdempotencyKey} resolved by an operator: {Action}")]
    public static partial void UnknownResolved(ILogger log, string idempotencyKey, string action);
}
