using Microsoft.Extensions.Logging;

namespace MicAi.Core.Inbox;

internal static partial class InboxLog
{
    [LoggerMessage(3000, LogLevel.Error, "Postgres unavailable during webhook ingest; answering 503 so Meta retries")]
    public static partial void DatabaseUnavailable(ILogger log, Exception ex);

    [LoggerMessage(3001, LogLevel.Warning, "Redis unavailable: {Count} stored message(s) will be enqueued by the sweeper")]
    public static partial void EnqueueDeferred(ILogger log, int count, Exception ex);

    [LoggerMessage(3002, LogLevel.Warning, "Meta reported error {Code}: {Title}")]
    public static partial void MetaReportedError(ILogger log, int code, string title);

    [LoggerMessage(3006, LogLevel.Information, "A {PythonJobType} job the Python mic.ai service left in Redis was taken over as a {JobType} job")]
    public static partial void PythonJobImported(ILogger log, string pythonJobType, string jobType);
    // The reason names fields and kinds, never content: it is safe at Warning.
    [LoggerMessage(3004, LogLevel.Warning, "Stored {Count} message(s) MicAi cannot use as invalid, never answered; the first: {Reason}")]
    public static partial void InvalidStored(ILogger log, int count, string reason);

    [LoggerMessage(3005, LogLevel.Warning, "Ignored {Count} delivery status(es) without an id, a status or a readable timestamp")]
    public static partial void StatusesSkipped(ILogger log, int count);
}
