namespace MicAi.Core.Configuration;

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
    public Uri MessagesUri(string phoneNumberId) => new(GraphBaseUrl, $"{GraphVersion}/{phoneNumberId}/messages");

    public override string ToString() => $"WhatsAppSettings {{ PhoneNumberId = {PhoneNumberId}, Graph = {GraphBaseUrl}{GraphVersion} }}";
}
