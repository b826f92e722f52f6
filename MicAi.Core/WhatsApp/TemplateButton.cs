namespace MicAi.Core.WhatsApp;

/// <summary>
/// A parameter for one of a template's buttons: <c>quick_reply</c> (its payload, echoed back when tapped) or <c>url</c>
/// (the dynamic suffix of the button's URL). <see cref="Index"/> is the button's position, 0-based, as Meta numbers them.
/// </summary>
public sealed record TemplateButton(string SubType, int Index, string Value)
{
    public static readonly string[] SubTypes = ["quick_reply", "url"];
}
