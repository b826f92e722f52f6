using System.Diagnostics.Metrics;
using MicAi.Core.Telemetry;

namespace MicAi.Core.Inbox;

/// <summary>What the webhook took in: messages stored, messages Meta delivered again (dedupe hits), bad signatures.</summary>
internal static class InboxMetrics
{
    private static readonly Counter<long> Messages = MicAiDiagnostics.Meter.CreateCounter<long>(
        "micai.webhook.messages", "{message}", "Inbound messages by outcome: stored (new) or duplicate (Meta delivered it again)");

    private static readonly Counter<long> SignatureFailures = MicAiDiagnostics.Meter.CreateCounter<long>(
        "micai.webhook.signature.failures", "{request}", "Webhook posts refused for a missing or wrong X-Hub-Signature-256");

    public static void Ingested(int received, int stored)
    {
        if (stored > 0) Messages.Add(stored, new KeyValuePair<string, object?>("outcome", "stored"));
        if (received > stored) Messages.Add(received - stored, new KeyValuePair<string, object?>("outcome", "duplicate"));
    }

    public static void SignatureRejected() => SignatureFailures.Add(1);
}
