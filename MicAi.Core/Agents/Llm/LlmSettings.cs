using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Agents.Llm.LlmSettings.Keys))]

namespace MicAi.Core.Agents.Llm;

/// <summary>
/// The OpenAI-compatible chat endpoint. Everything that costs money is off unless configured: the LLM answers only
/// for agents with llm_enabled.
/// </summary>
public sealed record LlmSettings(Uri BaseUrl, string? ApiKey, string Model, TimeSpan Timeout, int DailyLimitPerContact, int HistoryTurns)
{
    public static class Keys
    {
        [Setting("https://api.openai.com/v1", "OpenAI-compatible chat endpoint for agents with LLM on (off by default per agent)")]
        public const string BaseUrl = "MICAI_LLM_BASE_URL";

        [Setting(null, "its API key", Secret = true)]
        public const string ApiKey = "MICAI_LLM_API_KEY";

        [Setting("gpt-4o-mini", "model name")]
        public const string Model = "MICAI_LLM_MODEL";

        [Setting("20", "LLM timeout (then the fallback reply)")]
        public const string TimeoutSeconds = "MICAI_LLM_TIMEOUT_SECONDS";

        [Setting("20", "LLM replies per contact per day")]
        public const string DailyLimitPerContact = "MICAI_LLM_DAILY_LIMIT_PER_CONTACT";

        [Setting("6", "turns of history sent with each question")]
        public const string HistoryTurns = "MICAI_LLM_HISTORY_TURNS";
    }

    internal static LlmSettings Read(SettingsReader r) => new(
        BaseUrl: r.AbsoluteUri(Keys.BaseUrl),
        ApiKey: r.Secret(Keys.ApiKey),
        Model: r.String(Keys.Model),
        Timeout: r.Seconds(Keys.TimeoutSeconds, min: 1),
        DailyLimitPerContact: r.Int(Keys.DailyLimitPerContact, min: 0),
        HistoryTurns: r.Int(Keys.HistoryTurns, min: 0));

    /// <summary>Never print the API key.</summary>
    public override string ToString() => $"LlmSettings {{ Model = {Model}, BaseUrl = {BaseUrl} }}";
}
