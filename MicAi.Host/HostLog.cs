namespace MicAi.Host;

internal static partial class HostLog
{
    [LoggerMessage(8001, LogLevel.Information, "MicAi {Role} starting ({Environment})")]
    public static partial void Starting(ILogger log, string role, string environment);

    [LoggerMessage(8002, LogLevel.Warning, "MICAI_WHATSAPP_APP_SECRET is not set: webhooks are accepted WITHOUT signature verification (dev/test only)")]
    public static partial void UnsignedWebhooksAccepted(ILogger log);

    [LoggerMessage(8003, LogLevel.Information, "Stopping: no new jobs are fetched; jobs in flight have {Grace} to finish")]
    public static partial void Draining(ILogger log, TimeSpan grace);

    // One line, no stack trace: the reason is the driver's message (server, user, SQL state; never a password).
    [LoggerMessage(8010, LogLevel.Critical, "MicAi {Role} cannot start: migrating the database failed: {ExceptionType}: {Reason}")]
    public static partial void MigrationFailed(ILogger log, string role, string exceptionType, string reason);

    [LoggerMessage(8011, LogLevel.Critical, "MicAi {Role} cannot start: {ExceptionType}: {Reason}")]
    public static partial void StartFailed(ILogger log, string role, string exceptionType, string reason);
}
