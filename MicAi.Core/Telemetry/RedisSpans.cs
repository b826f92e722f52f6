using System.Diagnostics;

namespace MicAi.Core.Telemetry;

/// <summary>
/// Client spans for the Redis calls a message's reply causes (the pacing scripts), after the OpenTelemetry
/// database conventions. MicAi's own rather than StackExchange.Redis's profiling instrumentation, which profiles every
/// command of the process (idle polls and heartbeats included) and turns each into an Activity on a polling thread:
/// about 65 µs of CPU per reply on the 2-core bench, sampled or not (docs/observability.md). Outside a recorded span
/// a call costs one read of <see cref="Activity.Current"/>.
/// </summary>
public static class RedisSpans
{
    public const string Name = "MicAi.Redis";

    private static readonly ActivitySource Source = new(Name);

    /// <summary>A span named "<paramref name="operation"/> <paramref name="target"/>", or null when no recorded span is current.</summary>
    public static Activity? Start(string operation, string target)
    {
        if (Activity.Current is not { Recorded: true }) return null;
        var span = Source.StartActivity(operation + " " + target, ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("db.system.name", "redis");
            span.SetTag("db.operation.name", operation);
            span.SetTag("db.collection.name", target);
        }
        return span;
    }
}
