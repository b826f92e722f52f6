using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace MicAi.Core.Telemetry;

public static class ConsoleLogging
{
    /// <summary>
    /// The console log of a Host role. JSON (production, MICAI_LOG_FORMAT=json): one object a line with the event's
    /// fields and scopes, among them the trace and span ids of the current span and a job's id and wamid or key.
    /// Console (bin/dev): one readable line per event, with the time. Scopes cost nothing until a line is written.
    /// </summary>
    public static ILoggingBuilder AddMicAiConsole(this ILoggingBuilder logging, LogFormat format)
    {
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        return format == LogFormat.Console
            ? logging.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = true; o.TimestampFormat = "HH:mm:ss.fff "; })
            : logging.AddJsonConsole(o => { o.IncludeScopes = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; o.UseUtcTimestamp = true; });
    }
}
