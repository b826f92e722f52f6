namespace MicAi.Core.Outbox;

/// <summary>
/// Who wrote a ledger row (column <c>author</c>, shown in the timeline): a bot reply names its responder (rule,
/// tool:weather, llm, fallback, help, handover, opt_out, opt_in); the others are these.
/// </summary>
public static class OutboundAuthors
{
    public const string Operator = "operator";
    public const string BusinessApp = "business_app";
    public const string Schedule = "schedule";
    public const string Remind = "remind";

    /// <summary>A person wrote it (through the admin API or the WhatsApp Business app).</summary>
    public static readonly string[] People = [Operator, BusinessApp];
}
