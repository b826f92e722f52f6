using Microsoft.Extensions.Logging;

namespace MicAi.Core.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1004, LogLevel.Warning, "Postgres cannot be reached ({Reason}); the start-up migration check runs again in {Delay}")]
    public static partial void WaitingForDatabase(ILogger log, TimeSpan delay, string reason);

    [LoggerMessage(1008, LogLevel.Warning, "Deprecated setting: {Message}")]
    public static partial void DeprecatedSetting(ILogger log, string message);
    [LoggerMessage(1005, LogLevel.Error, "The {Loop} loop faulted; next try in {Delay} (later failures of this outage are logged without the stack trace)")]
    public static partial void LoopFaulted(ILogger log, string loop, TimeSpan delay, Exception ex);

    [LoggerMessage(1006, LogLevel.Warning, "The {Loop} loop failed again ({Failures} tries in a row): {ExceptionType}: {Reason}; next try in {Delay}")]
    public static partial void LoopStillFailing(ILogger log, string loop, int failures, string exceptionType, string reason, TimeSpan delay);

    [LoggerMessage(1007, LogLevel.Information, "The {Loop} loop runs again after {Failures} failed tries")]
    public static partial void LoopRecovered(ILogger log, string loop, int failures);
}
