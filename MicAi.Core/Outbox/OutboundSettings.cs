using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Outbox.OutboundSettings.Keys))]

namespace MicAi.Core.Outbox;

/// <summary>
/// How outbound messages are gated and paced: the environment's half of the kill switch, the 24-hour window and the
/// fallback template outside it, and the rates that keep us under Meta's throughput (per phone number id) and pair
/// (per recipient, error 131056) limits.
/// </summary>
public sealed record OutboundSettings(
    bool ReplyEnabled,
    int FreeformWindowHours,
    string? OutOfWindowTemplate,
    string TemplateLanguage,
    int RatePerSecond,
    TimeSpan RecipientMinInterval,
    TimeSpan UnknownAttentionAfter = default)
{
    public static class Keys
    {
        [Setting("false", "off: no Cloud API call, replies recorded `suppressed`; at runtime `POST /admin/outbound/pause` and `/resume` also switch sending off and on (kept in Postgres)")]
        public const string ReplyEnabled = "MICAI_OUTBOUND_REPLY_ENABLED";

        [Setting("24", "customer-service window for free-form sends, checked when the send runs")]
        public const string FreeformWindowHours = "MICAI_FREEFORM_WINDOW_HOURS";

        [Setting(null, "approved template sent instead of free-form text outside the window (else the send is `skipped`)")]
        public const string OutOfWindowTemplate = "MICAI_OUT_OF_WINDOW_TEMPLATE";

        [Setting("en_US", "language of that template")]
        public const string TemplateLanguage = "MICAI_TEMPLATE_LANGUAGE";

        [Setting("80", "sends per second per phone number id, shared by all workers through Redis")]
        public const string RatePerSecond = "MICAI_OUTBOUND_RATE_PER_SECOND";

        [Setting("1000", "spacing of sends to one person (Meta's pair rate limit, 131056)")]
        public const string RecipientMinIntervalMs = "MICAI_RECIPIENT_MIN_INTERVAL_MS";

        [Setting("10", "a send `unknown` for longer than this is on the attention list (`GET /admin/attention`) for an operator to resolve")]
        public const string UnknownAttentionMinutes = "MICAI_ATTENTION_UNKNOWN_MINUTES";
    }

    internal static OutboundSettings Read(SettingsReader r) => new(
        ReplyEnabled: r.Bool(Keys.ReplyEnabled),
        FreeformWindowHours: r.Int(Keys.FreeformWindowHours, min: 1),
        OutOfWindowTemplate: r.OptionalString(Keys.OutOfWindowTemplate),
        TemplateLanguage: r.String(Keys.TemplateLanguage),
        RatePerSecond: r.Int(Keys.RatePerSecond, min: 1),
        RecipientMinInterval: TimeSpan.FromMilliseconds(r.Int(Keys.RecipientMinIntervalMs, min: 0)),
        UnknownAttentionAfter: TimeSpan.FromMinutes(r.Int(Keys.UnknownAttentionMinutes, min: 0)));
}
