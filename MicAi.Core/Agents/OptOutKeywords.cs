using MicAi.Core.Inbox;

namespace MicAi.Core.Agents;

public enum OptCommand { None, OptOut, OptIn }

/// <summary>
/// STOP/UNSUBSCRIBE (MICAI_OPT_OUT_KEYWORDS) and START (MICAI_OPT_IN_KEYWORDS), recognised with or without the
/// invoke prefix — a user must always be able to stop — as the whole message (case, accents and trailing
/// punctuation ignored), so "don't stop the music" is not an opt-out.
/// </summary>
public sealed class OptOutKeywords(AgentSettings settings, InvokePrefixGate gate)
{
    public const string OptOutResponder = "opt_out";
    public const string OptInResponder = "opt_in";

    private readonly string[] foldedOptOut = settings.OptOutKeywords.Select(TextNormalizer.Fold).ToArray();
    private readonly string[] foldedOptIn = settings.OptInKeywords.Select(TextNormalizer.Fold).ToArray();

    /// <summary>
    /// The command this message carries for this contact: a repeated STOP gets no second confirmation, and START from
    /// a subscribed contact is an ordinary message. On a re-run (already processed) STOP still reports OptOut, so
    /// the flag is set even if a crash came between the send and the flag.
    /// </summary>
    public OptCommand Detect(InboundContext context)
    {
        var command = context.Text is null ? OptCommand.None : Detect(context.Text);
        if (command == OptCommand.OptOut && context.OptedOut && context.Status.IsUnanswered()) return OptCommand.None;
        if (command == OptCommand.OptIn && !context.OptedOut) return OptCommand.None;
        return command;
    }

    /// <summary>The confirmation to send for a command; null for an ordinary message.</summary>
    public AgentReply? Confirmation(OptCommand command) => command switch
    {
        OptCommand.OptOut => new AgentReply(OptOutConfirmation, OptOutResponder, null),
        OptCommand.OptIn => new AgentReply(OptInConfirmation, OptInResponder, null),
        _ => null,
    };

    public OptCommand Detect(string text)
    {
        if (gate.IsCommand(text, foldedOptOut)) return OptCommand.OptOut;
        if (gate.IsCommand(text, foldedOptIn)) return OptCommand.OptIn;
        return OptCommand.None;
    }

    public string OptOutConfirmation =>
        $"You have been unsubscribed and will get no more messages from us. Send {settings.OptInKeywords.FirstOrDefault() ?? "START"} to subscribe again.";

    public string OptInConfirmation =>
        $"Welcome back! You are subscribed again. Send {settings.OptOutKeywords.FirstOrDefault() ?? "STOP"} to unsubscribe.";
}
