using Microsoft.Extensions.Logging;

namespace MicAi.Functions;

internal static partial class FunctionsLog
{
    [LoggerMessage(9000, LogLevel.Information, "WorkerPoll handled {Jobs} jobs as {Consumer}")]
    public static partial void WorkerPollDrained(ILogger log, int jobs, string consumer);
}
