using MicAi.Core.Configuration;

namespace MicAi.Core.Inbox;

/// <summary>What the webhook accepts.</summary>
public sealed record InboxSettings(long WebhookMaxBodyBytes)
{
    public static class Keys
    {
        [Setting("1048576", "larger webhook bodies get 413")]
        public const string WebhookMaxBodyBytes = "MICAI_WEBHOOK_MAX_BODY_BYTES";
    }

    internal static InboxSettings Read(SettingsReader r) => new(r.Int(Keys.WebhookMaxBodyBytes, min: 1024));
}
