using System.Diagnostics;
using MicAi.Core.Telemetry;

namespace MicAi.Core.Queue;

/// <summary>
/// The job stream's spans, after the OpenTelemetry messaging conventions: a PRODUCER span "send jobs" around an
/// enqueue (its context is the creation context every job of the batch carries as <c>traceparent</c>), and a CONSUMER
/// span "process jobs" per job. The conventions require a link from the process span to the creation context and allow
/// it as the parent when one message is processed on its own, which is always the case here: so the process span is
/// both the child of the creation context (one trace per message, webhook to Graph, retries included) and linked to it.
/// </summary>
public static class JobTracing
{
    public const string System = "redis";
    public const string Destination = "jobs";

    /// <summary>The PRODUCER span of one enqueue, or null when nobody records spans (then nothing is stamped either).</summary>
    public static Activity? StartSend(int count)
    {
        var activity = MicAiDiagnostics.Source.StartActivity("send " + Destination, ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", System);
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", "send");
            activity.SetTag("messaging.destination.name", Destination);
            if (count > 1) activity.SetTag("messaging.batch.message_count", count);
        }
        return activity;
    }

    /// <summary>The creation context a job carries: the producer span's, else the caller's (a server span), else none.</summary>
    public static string? CreationContext(Activity? send) => (send ?? Activity.Current)?.Id is { } id && id.StartsWith("00-", StringComparison.Ordinal) ? id : null;

    /// <summary>The CONSUMER span of one job, a child of (and linked to) the context it was enqueued in.</summary>
    public static Activity? StartProcess(Job job, string consumerGroup)
    {
        if (!MicAiDiagnostics.Source.HasListeners()) return null;
        ActivityContext parent = default;
        var linked = job.TraceParent is { } tp && ActivityContext.TryParse(tp, null, isRemote: true, out parent);
        var activity = MicAiDiagnostics.Source.StartActivity(ActivityKind.Consumer, parent,
            links: linked ? [new ActivityLink(parent)] : null, name: "process " + Destination);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", System);
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.operation.name", "process");
            activity.SetTag("messaging.destination.name", Destination);
            activity.SetTag("messaging.consumer.group.name", consumerGroup);
            activity.SetTag("messaging.message.id", job.Id);
            activity.SetTag("micai.job.type", job.Type);
            activity.SetTag("micai.job.key", job.Key);
            activity.SetTag("micai.job.attempt", job.Attempt);
        }
        return activity;
    }
}
