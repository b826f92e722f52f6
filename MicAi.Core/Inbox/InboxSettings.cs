using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Inbox.InboxSettings.Keys))]

namespace MicAi.Core.Inbox;

/// <summary>What the webhook accepts, and how long a handover the customer or the Business app started lasts.</summary>
public sealed record InboxSettings(long WebhookMaxBodyBytes, TimeSpan? HandoverAutoDuration = null)
{
    public static class Keys
    {
        [Setting("1048576", "larger webhook bodies get 413")]
        public const string WebhookMaxBodyBytes = "MICAI_WEBHOOK_MAX_BODY_BYTES";

        [Setting("120", "a handover started by a handover keyword or a WhatsApp Business app reply ends by itself after this many minutes (0: only when an operator releases it)")]
        public const string HandoverMinutes = "MICAI_HANDOVER_MINUTES";
    }

    internal static InboxSettings Read(SettingsReader r) => new(
        r.Int(Keys.WebhookMaxBodyBytes, min: 1024),
        r.Int(Keys.HandoverMinutes, min: 0) is var minutes and > 0 ? TimeSpan.FromMinutes(minutes) : null);
}
