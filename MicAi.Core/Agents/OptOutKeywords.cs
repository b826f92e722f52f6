namespace MicAi.Core.Agents;

public enum OptCommand { None, OptOut, OptIn }

/// <summary>
/// STOP/UNSUBSCRIBE (MICAI_OPT_OUT_KEYWORDS) and START (MICAI_OPT_IN_KEYWORDS), recognised with or without the
/// invoke prefix — a user must always be able to stop — as the whole message (case, accents and trailing
/// punctuation ignored), so "don't stop the music" is not an opt-out.
/// </summary>
public sealed class OptOutKeywords(PlatformSettings settings, Configuration.MicAiSettings core)
{
    public OptCommand Detect(string text)
    {
        var message = text;
        foreach (var prefix in core.InvokePrefixes)
            if (InvokePrefixGate.TryStrip(text, prefix, out var rest)) { message = rest; break; }
        var folded = TextNormalizer.Fold(message).Trim().TrimEnd('.', '!', '?', ' ');
        if (settings.OptOutKeywords.Any(k => TextNormalizer.Fold(k) == folded)) return OptCommand.OptOut;
        if (settings.OptInKeywords.Any(k => TextNormalizer.Fold(k) == folded)) return OptCommand.OptIn;
        return OptCommand.None;
    }

    public string OptOutConfirmation =>
        $"You have been unsubscribed and will get no more messages from us. Send {settings.OptInKeywords.FirstOrDefault() ?? "START"} to subscribe again.";

    public string OptInConfirmation =>
        $"Welcome back! You are subscribed again. Send {settings.OptOutKeywords.FirstOrDefault() ?? "STOP"} to unsubscribe.";
}
