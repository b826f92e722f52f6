using System.Diagnostics.Metrics;
using MicAi.Core.Storage;
using MicAi.Core.Telemetry;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Outbox;

/// <summary>
/// What the send step did: every outcome with Meta's error code (the alerts on 131047, 131056, 130429 and 190 read
/// it), skips because the 24-hour window was closed, the wait for a pacing slot, and a schedule's lag from its due
/// time to the moment Meta accepted the message.
/// </summary>
internal static class OutboxMetrics
{
    private static readonly Counter<long> Sends = MicAiDiagnostics.Meter.CreateCounter<long>(
        "micai.outbound.sends", "{message}", "Send attempts by outcome (sent, retrying, failed, unknown, skipped, suppressed) and Meta error code");

    private static readonly Counter<long> WindowSkips = MicAiDiagnostics.Meter.CreateCounter<long>(
        "micai.outbound.window.skips", "{message}", "Sends skipped: the 24-hour window was closed and no template applied");

    private static readonly Histogram<double> PacingWait = MicAiDiagnostics.Meter.CreateHistogram(
        "micai.outbound.pacing.wait", "s", "Time a send waited for its recipient's and phone number's slots",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Seconds });

    private static readonly Histogram<double> ScheduleLag = MicAiDiagnostics.Meter.CreateHistogram(
        "micai.scheduler.lag", "s", "From a scheduled occurrence's due time to Meta accepting its message",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Seconds });

    public static void Outcome(OutboundStatus outcome, int? errorCode = null)
    {
        if (errorCode is { } code) Sends.Add(1, new("outcome", DbEnum<OutboundStatus>.Name(outcome)), new("whatsapp.error.code", code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        else Sends.Add(1, new KeyValuePair<string, object?>("outcome", DbEnum<OutboundStatus>.Name(outcome)));
    }

    public static void Failed(OutboundStatus outcome, GraphError error) => Outcome(outcome, error.Code);

    public static void WindowSkipped() => WindowSkips.Add(1);

    public static void Waited(TimeSpan wait) => PacingWait.Record(wait.TotalSeconds);

    /// <summary>For a schedule's row (key schedule:{id}:{unix seconds of the occurrence}), the lag from due to sent.</summary>
    public static void Sent(string idempotencyKey, DateTimeOffset now)
    {
        Outcome(OutboundStatus.Sent);
        if (!idempotencyKey.StartsWith("schedule:", StringComparison.Ordinal)) return;
        var last = idempotencyKey.LastIndexOf(':');
        if (long.TryParse(idempotencyKey.AsSpan(last + 1), out var due))
            ScheduleLag.Record(Math.Max(0, (now - DateTimeOffset.FromUnixTimeSeconds(due)).TotalSeconds));
    }
}
