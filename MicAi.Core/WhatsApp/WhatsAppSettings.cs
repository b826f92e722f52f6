using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.WhatsApp.WhatsAppSettings.Keys))]

namespace MicAi.Core.WhatsApp;

/// <summary>Everything needed to talk to Meta: webhook verification and the Cloud API.</summary>
public sealed record WhatsAppSettings(
    string VerifyToken,
    string AccessToken,
    string PhoneNumberId,
    string? AppSecret,
    Uri GraphBaseUrl,
    string GraphVersion,
    bool ReplyThreading,
    bool MarkAsRead)
{
    public const string DefaultGraphVersion = "v24.0";

    public static class Keys
    {
        [Setting("dev-verify-token", "required; Meta's webhook verification token", Secret = true, RequiredInProd = true)]
        public const string VerifyToken = "MICAI_WHATSAPP_VERIFY_TOKEN";

        [Setting("dev-access-token", "required; Cloud API bearer token", Secret = true, RequiredInProd = true)]
        public const string AccessToken = "MICAI_WHATSAPP_ACCESS_TOKEN";

        [Setting("dev-phone-number-id", "required; the sending number's id", Secret = true, RequiredInProd = true)]
        public const string PhoneNumberId = "MICAI_WHATSAPP_PHONE_NUMBER_ID";

        [Setting(null, "required in prod; verifies `X-Hub-Signature-256` over the raw body", Secret = true, RequiredInProd = true)]
        public const string AppSecret = "MICAI_WHATSAPP_APP_SECRET";

        [Setting("https://graph.facebook.com", "Graph API base (tests point it at a stub)")]
        public const string GraphBaseUrl = "MICAI_WHATSAPP_GRAPH_BASE_URL";

        [Setting(DefaultGraphVersion, "Graph API version")]
        public const string GraphVersion = "MICAI_WHATSAPP_GRAPH_VERSION";

        [Setting("true", "replies quote the message they answer (`context.message_id`)")]
        public const string ReplyThreading = "MICAI_REPLY_THREADING";

        [Setting("true", "mark answered messages as read")]
        public const string MarkAsRead = "MICAI_MARK_AS_READ";
    }

    internal static WhatsAppSettings Read(SettingsReader r) => new(
        VerifyToken: r.Secret(Keys.VerifyToken) ?? "",
        AccessToken: r.Secret(Keys.AccessToken) ?? "",
        PhoneNumberId: r.Secret(Keys.PhoneNumberId) ?? "",
        AppSecret: r.Secret(Keys.AppSecret),
        GraphBaseUrl: r.AbsoluteUri(Keys.GraphBaseUrl),
        GraphVersion: r.String(Keys.GraphVersion),
        ReplyThreading: r.Bool(Keys.ReplyThreading),
        MarkAsRead: r.Bool(Keys.MarkAsRead));

    public Uri MessagesUri(string phoneNumberId) => new(GraphBaseUrl, $"{GraphVersion}/{phoneNumberId}/messages");

    public override string ToString() => $"WhatsAppSettings {{ PhoneNumberId = {PhoneNumberId}, Graph = {GraphBaseUrl}{GraphVersion} }}";
}
