namespace MicAi.Core.WhatsApp;

/// <summary>
/// What the WhatsApp Cloud API accepts in a message we send, in one place: admin inputs that become messages are
/// checked against these, so an operator hears "too long" at once instead of a send failing later with 131009.
/// Counted in UTF-16 code units, never fewer than Meta's characters, so a value that passes is never refused by Meta.
/// Sources: Meta's developer documentation, "Interactive reply buttons messages" and "Interactive list messages"
/// (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages,
/// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages) and the text message
/// reference (text.body). The simulator's Graph stand-in refuses the same sizes.
/// </summary>
public static class MetaLimits
{
    /// <summary>
    /// Longest id or sender MicAi takes from an inbound message (Meta's wamids are about 60 characters, wa_ids at most
    /// 15 digits, user ids about 30): a longer one is malformed and the message is stored as invalid.
    /// </summary>
    public const int InboundId = 256;

    /// <summary>Largest raw entry kept with an invalid message; a larger one keeps the message alone, or its start.</summary>
    public const int InvalidPayloadChars = 64 * 1024;

    /// <summary>text.body of a text message (longer replies are split by <see cref="MessageSplitter"/>).</summary>
    public const int TextBody = 4096;

    /// <summary>Body text of an interactive message with reply buttons.</summary>
    public const int ButtonsBody = 1024;
    /// <summary>Body text of an interactive list message.</summary>
    public const int ListBody = 4096;
    /// <summary>Text header and footer of an interactive message.</summary>
    public const int HeaderText = 60, FooterText = 60;

    /// <summary>Reply buttons: 1 to 3, each with a title of at most 20 characters and an id of at most 256.</summary>
    public const int MaxButtons = 3, ButtonTitle = 20, ButtonId = 256;

    /// <summary>A list's button label (the one that opens the list).</summary>
    public const int ListButton = 20;
    /// <summary>Sections of a list (a title each, required when there is more than one).</summary>
    public const int MaxSections = 10, SectionTitle = 24;
    /// <summary>Rows of a list, across all its sections.</summary>
    public const int MaxRows = 10, RowId = 200, RowTitle = 24, RowDescription = 72;
}
