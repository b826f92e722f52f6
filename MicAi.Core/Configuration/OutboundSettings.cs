namespace MicAi.Core.Configuration;

/// <summary>
/// How outbound messages are gated and paced: the fallback template outside the 24-hour window, and the rates that
/// keep us under Meta's throughput (per phone number id) and pair (per recipient, error 131056) limits.
/// </summary>
public sealed record OutboundSettings(
    string? OutOfWindowTemplate,
    string TemplateLanguage,
    int RatePerSecond,
    TimeSpan RecipientMinInterval);
