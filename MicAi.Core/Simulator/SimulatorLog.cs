using Microsoft.Extensions.Logging;

namespace MicAi.Core.Simulator;

internal static partial class SimulatorLog
{
    [LoggerMessage(10000, LogLevel.Warning, "Simulator: MicAi refused a simulated webhook with HTTP {Status}")]
    public static partial void WebhookRefused(ILogger log, int status);

    [LoggerMessage(10001, LogLevel.Warning, "Simulator: a simulated webhook could not be delivered: {Reason}")]
    public static partial void WebhookUndelivered(ILogger log, string reason);

    [LoggerMessage(10002, LogLevel.Error, "Simulator: the {Status} status of {Wamid} could not be sent")]
    public static partial void StatusFailed(ILogger log, string wamid, string status, Exception ex);

    [LoggerMessage(10003, LogLevel.Warning, "Simulator is on (MICAI_SIMULATOR): /simulator serves a chat page and /simulator/graph a Graph API stand-in; never in production")]
    public static partial void Enabled(ILogger log);
}
