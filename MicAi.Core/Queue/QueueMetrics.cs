using System.Diagnostics.Metrics;
using MicAi.Core.Telemetry;

namespace MicAi.Core.Queue;

/// <summary>
/// The job stream's instruments, named as the OpenTelemetry messaging metrics are (messaging.client.sent.messages,
/// messaging.client.consumed.messages, messaging.process.duration) with the job type as <c>micai.job.type</c>.
/// </summary>
internal static class QueueMetrics
{
    public static readonly Counter<long> Sent = MicAiDiagnostics.Meter.CreateCounter<long>(
        "messaging.client.sent.messages", "{message}", "Jobs added to the stream");

    public static readonly Counter<long> Consumed = MicAiDiagnostics.Meter.CreateCounter<long>(
        "messaging.client.consumed.messages", "{message}", "Jobs read from the stream by this worker");

    public static readonly Histogram<double> ProcessDuration = MicAiDiagnostics.Meter.CreateHistogram(
        "messaging.process.duration", "s", "How long one job took, by type and outcome (error.type on failure)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Seconds });

    public static readonly Counter<long> Retried = MicAiDiagnostics.Meter.CreateCounter<long>(
        "micai.jobs.retried", "{job}", "Jobs handed to the delayed set for another attempt");

    public static readonly Counter<long> Dead = MicAiDiagnostics.Meter.CreateCounter<long>(
        "micai.jobs.dead", "{job}", "Jobs that became dead jobs (attempts exhausted, permanent failure, abandoned)");

    public static KeyValuePair<string, object?> System => new("messaging.system", JobTracing.System);

    public static KeyValuePair<string, object?> Destination => new("messaging.destination.name", JobTracing.Destination);

    public static KeyValuePair<string, object?> JobType(string type) => new("micai.job.type", type);
}
