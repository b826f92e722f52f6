
namespace MicAi.Core.Outbox;

/// <summary>What the window allows for one claimed send: the send to make (maybe turned into a template), or why none.</summary>
public sealed record WindowDecision(ClaimedSend? Send, string? SkipReason)
{
    /// <summary>True when a free-form send became a template send because the window is closed.</summary>
    public bool IsFallback { get; init; }
}

/// <summary>
/// The 24-hour customer-service window, checked at send time (a retry or a delayed schedule may run long after the
/// send was decided). Free-form text only within MICAI_FREEFORM_WINDOW_HOURS of the contact's last inbound message;
/// outside it the row's own template, else MICAI_OUT_OF_WINDOW_TEMPLATE, else no call at all: Meta could only
/// answer 131047.
/// </summary>
public sealed class WindowGate(OutboundSettings settings, TimeProvider time)
{
    public WindowDecision Decide(ClaimedSend send)
    {
        var language = settings.TemplateLanguage;
        if (send.Kind == "template")
            return new(send with { TemplateLanguage = send.TemplateLanguage ?? language }, null);
        if (IsOpen(send.LastInboundAt)) return new(send, null);

        if (send.TemplateName is not null)
            return new(send with { Kind = "template", TemplateLanguage = send.TemplateLanguage ?? language }, null) { IsFallback = true };
        if (settings.OutOfWindowTemplate is { } fallback)
            return new(send with { Kind = "template", TemplateName = fallback, TemplateLanguage = language, TemplateParams = [], Template = null }, null) { IsFallback = true };

        var since = send.LastInboundAt is { } at ? $"last inbound {at:u}" : "no inbound message";
        return new(null, $"outside the {settings.FreeformWindowHours}h window ({since}) and no template configured");
    }

    public bool IsOpen(DateTimeOffset? lastInboundAt) =>
        lastInboundAt is { } at && time.GetUtcNow() - at < TimeSpan.FromHours(settings.FreeformWindowHours);
}
