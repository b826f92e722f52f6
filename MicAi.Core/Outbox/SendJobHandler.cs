using MicAi.Core.Queue;

namespace MicAi.Core.Outbox;

/// <summary>A "send" job: one ledger row to deliver (scheduled messages, retried replies).</summary>
public sealed class SendJobHandler(OutboundSender sender) : IJobHandler
{
    public string Type => JobTypes.Send;

    public Task HandleAsync(Job job, CancellationToken ct) => sender.SendAsync(job.Key, ct);
}
