using Microsoft.Extensions.Logging;

namespace MicAi.Core.Inbox;

internal static partial class WebhookLog
{
    [LoggerMessage(4000, LogLevel.Warning, "Webhook rejected: missing or invalid signature")]
    public static partial void SignatureRejected(ILogger log);

    [LoggerMessage(4001, LogLevel.Warning, "Webhook verification refused: wrong mode or token")]
    public static partial void VerifyRefused(ILogger log);
}
