using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Agents.AgentSettings.Keys))]

namespace MicAi.Core.Agents;

/// <summary>Which messages an agent answers: the invoke prefix, opt-out and back in.</summary>
public sealed record AgentSettings(
    bool RequireInvokePrefix,
    IReadOnlyList<string> InvokePrefixes,
    IReadOnlyList<string> OptOutKeywords,
    IReadOnlyList<string> OptInKeywords)
{
    public static class Keys
    {
        [Setting("true", "answer only messages that start with an invoke prefix")]
        public const string RequireInvokePrefix = "MICAI_REQUIRE_INVOKE_PREFIX";

        [Setting("michael:,@michael,/ask", "case- and whitespace-insensitive; stripped before rules match")]
        public const string InvokePrefixes = "MICAI_INVOKE_PREFIXES";

        [Setting("STOP,UNSUBSCRIBE", "opt-out keywords, with or without the invoke prefix")]
        public const string OptOutKeywords = "MICAI_OPT_OUT_KEYWORDS";

        [Setting("START", "keywords that opt back in, with or without the invoke prefix")]
        public const string OptInKeywords = "MICAI_OPT_IN_KEYWORDS";
    }

    internal static AgentSettings Read(SettingsReader r) => new(
        RequireInvokePrefix: r.Bool(Keys.RequireInvokePrefix),
        InvokePrefixes: r.List(Keys.InvokePrefixes),
        OptOutKeywords: r.List(Keys.OptOutKeywords),
        OptInKeywords: r.List(Keys.OptInKeywords));
}
