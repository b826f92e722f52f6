using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MicAi.Core.WhatsApp;

/// <summary>
/// Who sent a webhook message, which message it is and when, or why that cannot be told: a message MicAi cannot use
/// is still stored (as invalid, with this reason), never dropped. The sender is <c>from</c> (the phone-based wa_id),
/// else <c>from_user_id</c> (the business-scoped user id), else — when the message names neither — the change's one
/// contact (its wa_id, else its user_id): a shape client libraries test their parsers with.
/// </summary>
internal readonly record struct MessageIdentity(
    string? Wamid, string? Phone, string? UserId, JsonElement? Contact, DateTimeOffset? Timestamp, string? Problem)
{
    /// <summary>The contact identity: phone-based when Meta shows it, else the user id.</summary>
    public string? WaId => Phone ?? UserId;

    public static MessageIdentity Read(JsonElement m, JsonElement value)
    {
        var contacts = value.Objects("contacts").ToList();
        var (phone, badFrom) = Identifier(m, "from");
        var (fromUserId, badUserId) = Identifier(m, "from_user_id");
        // Sender profile by identity, never by index: batched deliveries list contacts in any order.
        JsonElement? contact = contacts.FirstOrDefault(c =>
            (phone is not null && c.NonEmpty("wa_id") == phone) || (fromUserId is not null && c.NonEmpty("user_id") == fromUserId));
        if (contact is { ValueKind: not JsonValueKind.Object }) contact = null;
        string? sender = null;
        if (phone is null && fromUserId is null && badFrom is null && badUserId is null && contacts.Count == 1)
        {
            contact = contacts[0]; // no sender named at all: the change's only contact wrote it
            (phone, fromUserId) = (contact.Value.NonEmpty("wa_id"), contact.Value.NonEmpty("user_id"));
        }
        var userId = fromUserId ?? contact?.NonEmpty("user_id");
        if (phone is null && userId is null)
            sender = badFrom ?? badUserId ??
                     $"no sender: from and from_user_id are missing, and the change has {contacts.Count} contact(s), not one with a wa_id or user_id";

        var (wamid, badId) = Identifier(m, "id");
        var (timestamp, badTime) = Time(m);
        return new(wamid, phone, userId, contact, timestamp, (wamid is null ? badId ?? "id is missing" : null) ?? sender ?? badTime ?? TypeProblem(m));
    }

    /// <summary>
    /// The key an invalid message is stored under: its own id when it has one, else one derived from its exact bytes
    /// and number, so a redelivery of the same broken message is stored once.
    /// </summary>
    public static string InvalidKey(string? wamid, string phoneNumberId, string raw) => wamid ??
        "invalid:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(phoneNumberId + "\n" + raw)))[..32];

    /// <summary>A non-empty string member; absent or "" is no value, any other kind is a problem.</summary>
    private static (string? Value, string? Problem) Identifier(JsonElement m, string name) => m.Prop(name) switch
    {
        null => (null, null),
        { ValueKind: JsonValueKind.String } when m.NonEmpty(name) is { Length: > MetaLimits.InboundId } =>
            (null, $"{name} is longer than {MetaLimits.InboundId} characters"),
        { ValueKind: JsonValueKind.String } => (m.NonEmpty(name), null),
        { ValueKind: var kind } => (null, $"{name} is {Kind(kind)}, not a string"),
    };

    private static (DateTimeOffset? Value, string? Problem) Time(JsonElement m) => m.Prop("timestamp") switch
    {
        null => (null, "timestamp is missing"),
        _ when m.UnixSeconds("timestamp") is { } at => (at, null),
        { ValueKind: JsonValueKind.Number or JsonValueKind.String } v => (null, $"timestamp {Shorten(v.GetRawText())} is not Unix seconds from 0 to year 9999"),
        { ValueKind: var kind } => (null, $"timestamp is {Kind(kind)}, not Unix seconds"),
    };

    private static string? TypeProblem(JsonElement m) =>
        m.Prop("type") is { ValueKind: not JsonValueKind.String } t ? $"type is {Kind(t.ValueKind)}, not a string" : null;

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "a string",
    };

    private static string Shorten(string raw) => raw.Length <= 40 ? raw : raw[..40] + "…";
}
