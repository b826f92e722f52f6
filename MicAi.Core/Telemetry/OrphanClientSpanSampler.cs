using System.Diagnostics;
using OpenTelemetry.Trace;

namespace MicAi.Core.Telemetry;

/// <summary>
/// Wraps the sampler the SDK chose (<c>OTEL_TRACES_SAMPLER</c> and <c>OTEL_TRACES_SAMPLER_ARG</c>, by default
/// <c>parentbased_always_on</c>) and drops a client span that has no parent: a Redis poll of an idle worker, a heartbeat,
/// a Postgres query of the sweeper is housekeeping that repeats every few seconds on every process; recorded, it would
/// bury the traces of messages. Everything a message causes has a parent (the webhook's server span, the job's process
/// span), so it goes to the chosen sampler like every server, consumer, producer and internal span.
/// </summary>
public sealed class OrphanClientSpanSampler(Sampler chosen) : Sampler
{
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
        parameters.Kind == ActivityKind.Client && parameters.ParentContext.TraceId == default ? Drop : chosen.ShouldSample(parameters);
}
