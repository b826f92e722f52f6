namespace MicAi.Core.WhatsApp;

/// <summary>
/// The Cloud API's limits on what we send, in one place (Meta's "Interactive messages" and "Messages" reference):
/// what a rule or an operator may save is checked against these, so Meta never refuses it at send time.
/// Lengths are in characters (Unicode scalar values), as Meta counts them; admin inputs checked by [Limit] count UTF-16
/// code units, never fewer than Meta's characters, so a value that passes is never refused by Meta. Sources: Meta's
/// developer documentation, "Interactive reply buttons messages" and "Interactive list messages"
/// (https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-reply-buttons-messages,
/// https://developers.facebook.com/docs/whatsapp/cloud-api/messages/interactive-list-messages) and text.body.
/// </summary>
public static class MetaLimits
{
    /// <summary><c>text.body</c>.</summary>
    public const int TextBody = 4096;

    /// <summary><c>interactive.body.text</c> of a button or list message.</summary>
    public const int InteractiveBody = 1024;

    /// <summary>A reply button's title.</summary>
    public const int ButtonTitle = 20;

    /// <summary>A reply button's id.</summary>
    public const int ButtonId = 256;

    /// <summary>Reply buttons per message.</summary>
    public const int MaxButtons = 3;

    /// <summary>The label of the button that opens a list (<c>action.button</c>).</summary>
    public const int ListButton = 20;

    /// <summary>A list section's title.</summary>
    public const int SectionTitle = 24;

    /// <summary>Sections per list.</summary>
    public const int MaxSections = 10;

    /// <summary>A list row's title.</summary>
    public const int RowTitle = 24;

    /// <summary>A list row's description.</summary>
    public const int RowDescription = 72;

    /// <summary>A list row's id.</summary>
    public const int RowId = 200;

    /// <summary>Rows per list, over all its sections.</summary>
    public const int MaxRows = 10;

    /// <summary>A media message's caption (image, video, document).</summary>
    public const int MediaCaption = 1024;

    /// <summary>
    /// Longest id or sender MicAi takes from an inbound message (Meta's wamids are about 60 characters, wa_ids at most
    /// 15 digits, user ids about 30): a longer one is malformed and the message is stored as invalid.
    /// </summary>
    public const int InboundId = 256;

    /// <summary>Largest raw entry kept with an invalid message; a larger one keeps the message alone, or its start.</summary>
    public const int InvalidPayloadChars = 64 * 1024;

    /// <summary>Body text of an interactive message with reply buttons (<see cref="InteractiveBody"/>).</summary>
    public const int ButtonsBody = InteractiveBody;

    /// <summary>Body text of an interactive list message (Meta allows 4,096; rules keep to <see cref="InteractiveBody"/>).</summary>
    public const int ListBody = 4096;

    /// <summary>Text header and footer of an interactive message.</summary>
    public const int HeaderText = 60, FooterText = 60;

    /// <summary>Length in characters as Meta counts them (a surrogate pair is one).</summary>
    public static int Characters(string s) => s.EnumerateRunes().Count();
}
