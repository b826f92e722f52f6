namespace MicAi.Core.WhatsApp;

/// <summary>
/// The Cloud API's limits on what we send, in one place (Meta's "Interactive messages" and "Messages" reference):
/// what a rule or an operator may save is checked against these, so Meta never refuses it at send time.
/// Lengths are in characters (Unicode scalar values), as Meta counts them.
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

    /// <summary>Length in characters as Meta counts them (a surrogate pair is one).</summary>
    public static int Characters(string s) => s.EnumerateRunes().Count();
}
