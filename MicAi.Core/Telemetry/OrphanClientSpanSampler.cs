using System.Diagnostics;
using OpenTelemetry.Trace;

namespace MicAi.Core.Telemetry;

/// <summary>
/// The root sampler: a client span with no parent (a Redis poll of an idle worker, a heartbeat, a Postgres query of the
/// sweeper) is housekeeping that repeats every few seconds on every process; recorded, it would bury the traces of
/// messages. Everything a message causes has a parent (the webhook's server span, the job's process span), so it is
/// kept; server, consumer, producer and internal roots are kept too. Under <see cref="ParentBasedSampler"/> a child
/// follows its parent's decision.
/// </summary>
public sealed class OrphanClientSpanSampler : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
        parameters.Kind == ActivityKind.Client ? Drop : Keep;
}
