using Microsoft.Extensions.Logging;

namespace MicAi.Core.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1004, LogLevel.Warning, "Postgres cannot be reached ({Reason}); the start-up migration check runs again in {Delay}")]
    public static partial void WaitingForDatabase(ILogger log, TimeSpan delay, string reason);

    [LoggerMessage(1005, LogLevel.Warning, "Deprecated setting: {Message}")]
    public static partial void DeprecatedSetting(ILogger log, string message);
}
