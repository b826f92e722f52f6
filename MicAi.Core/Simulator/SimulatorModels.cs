namespace MicAi.Core.Simulator;

/// <summary>
/// A simulated WhatsApp user. <see cref="Id"/> is what Meta puts in <c>wa_id</c>/<c>from</c> and what MicAi answers
/// to: the phone number, or for a username-only user (no phone shown) the business-scoped user id (BSUID).
/// </summary>
public sealed record SimCustomer(string Id, string Name, string? Phone, string? UserId, string? Username, string CountryCode)
{
    public bool IsUsernameOnly => Phone is null;
}

/// <summary>A choice the bot offered: a reply button, a list row, or a template's quick-reply button.</summary>
public sealed record SimChoice(string Id, string Title, string? Description = null);

/// <summary>
/// One chat bubble. From the customer (<see cref="FromCustomer"/>): sending → sent (MicAi answered the webhook 200)
/// → read (MicAi marked it read), or failed. From the bot: accepted (the stand-in answered the send) → sent →
/// delivered → read, each set only once MicAi accepted that status webhook, or failed with Meta's error title.
/// </summary>
public sealed record SimMessage(
    long Seq,
    string CustomerId,
    bool FromCustomer,
    string Wamid,
    string Kind,
    string? Text,
    DateTimeOffset At,
    string Status,
    string? Error = null,
    string? ContextWamid = null,
    string? Header = null,
    string? Footer = null,
    string? ChoiceKind = null,
    IReadOnlyList<SimChoice>? Choices = null,
    string? ListButton = null,
    string? CallbackData = null);

/// <summary>A customer with their last bubble, for the customer list.</summary>
public sealed record SimCustomerSummary(SimCustomer Customer, SimMessage? Last, bool Typing);

/// <summary>What the page needs to know about this MicAi (never a secret).</summary>
public sealed record SimConfig(
    string BusinessPhoneNumberId,
    string BusinessDisplayNumber,
    bool SignsWebhooks,
    bool OutboundEnabled,
    bool RequireInvokePrefix,
    IReadOnlyList<string> InvokePrefixes,
    string GraphBaseUrl);

/// <summary>The body of <c>POST /simulator/api/customers</c>: a phone number, or a username (then a BSUID is made).</summary>
public sealed record NewCustomer(string? Name, string? Phone, string? Username, string? CountryCode);

/// <summary>The body of <c>POST /simulator/api/customers/{id}/messages</c>: typed text, or a tap on a choice.</summary>
public sealed record NewCustomerMessage(string? Text, string? ChoiceId, string? ReplyTo);

/// <summary>A conversation as the page shows it.</summary>
public sealed record SimConversation(SimCustomer Customer, IReadOnlyList<SimMessage> Messages, bool Typing, long Version);
