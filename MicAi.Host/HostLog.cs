namespace MicAi.Host;

internal static partial class HostLog
{
    [LoggerMessage(8000, LogLevel.Error, "The {Loop} loop faulted; next try in {Delay}")]
    public static partial void LoopFaulted(ILogger log, string loop, Exception ex, TimeSpan delay);

    [LoggerMessage(8001, LogLevel.Information, "MicAi {Role} starting ({Environment})")]
    public static partial void Starting(ILogger log, string role, string environment);

    [LoggerMessage(8002, LogLevel.Warning, "MICAI_WHATSAPP_APP_SECRET is not set: webhooks are accepted WITHOUT signature verification (dev/test only)")]
    public static partial void UnsignedWebhooksAccepted(ILogger log);

    [LoggerMessage(8003, LogLevel.Information, "Stopping: no new jobs are fetched; jobs in flight have {Grace} to finish")]
    public static partial void Draining(ILogger log, TimeSpan grace);
}
