using Microsoft.Extensions.Logging;

namespace MicAi.Core.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(1000, LogLevel.Information, "Migrations applied: {Count} new script(s)")]
    public static partial void MigrationsApplied(ILogger log, int count);

    [LoggerMessage(1001, LogLevel.Debug, "DbUp: {Message}")]
    public static partial void DbUp(ILogger log, string message);

    [LoggerMessage(1002, LogLevel.Warning, "DbUp: {Message}")]
    public static partial void DbUpWarning(ILogger log, string message);

    [LoggerMessage(1003, LogLevel.Error, "DbUp: {Message}")]
    public static partial void DbUpError(ILogger log, string message, Exception? exception = null);

    [LoggerMessage(1010, LogLevel.Warning, "A Python mic.ai database: its tables {Tables} were renamed python_<name> and are copied into MicAi's tables; drop the python_* tables once the switch-over is verified")]
    public static partial void PythonTablesRenamed(ILogger log, string tables);
}
