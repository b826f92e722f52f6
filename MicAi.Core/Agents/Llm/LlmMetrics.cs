using System.Diagnostics.Metrics;
using MicAi.Core.Telemetry;
using Microsoft.Extensions.AI;

namespace MicAi.Core.Agents.Llm;

/// <summary>LLM calls by outcome (answered, failed, capped), their latency and the tokens they used.</summary>
internal static class LlmMetrics
{
    private static readonly Counter<long> Calls = MicAiDiagnostics.Meter.CreateCounter<long>(
        "micai.llm.calls", "{call}", "LLM replies asked for, by outcome: answered, failed (timeout or error: fallback reply), capped (daily limit)");

    private static readonly Histogram<double> Duration = MicAiDiagnostics.Meter.CreateHistogram(
        "micai.llm.duration", "s", "How long the model took to answer (or to fail)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Seconds });

    private static readonly Counter<long> Tokens = MicAiDiagnostics.Meter.CreateCounter<long>(
        "micai.llm.tokens", "{token}", "Tokens the model reported, by type: input or output");

    public static void Capped() => Calls.Add(1, new KeyValuePair<string, object?>("outcome", "capped"));

    public static void Answered(TimeSpan elapsed, UsageDetails? usage)
    {
        Calls.Add(1, new KeyValuePair<string, object?>("outcome", "answered"));
        Duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", "answered"));
        if (usage?.InputTokenCount is { } input) Tokens.Add(input, new KeyValuePair<string, object?>("type", "input"));
        if (usage?.OutputTokenCount is { } output) Tokens.Add(output, new KeyValuePair<string, object?>("type", "output"));
    }

    public static void Failed(TimeSpan elapsed)
    {
        Calls.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
        Duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", "failed"));
    }
}
