using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Media.TranscriptionSettings.Keys))]

namespace MicAi.Core.Media;

/// <summary>
/// Speech to text for voice notes through an OpenAI-compatible <c>POST {base}/audio/transcriptions</c>; off unless
/// the base URL is set. What was heard is what the prefix gate, rules, tools and the LLM see.
/// </summary>
public sealed record TranscriptionSettings(Uri? BaseUrl, string? ApiKey, string Model, TimeSpan Timeout, int DailyLimitPerContact, string FallbackReply)
{
    public static class Keys
    {
        [Setting(null, "OpenAI-compatible speech-to-text endpoint (with `/v1`); unset: voice notes get the fallback reply")]
        public const string BaseUrl = "MICAI_TRANSCRIPTION_BASE_URL";

        [Setting(null, "its API key", Secret = true)]
        public const string ApiKey = "MICAI_TRANSCRIPTION_API_KEY";

        [Setting("whisper-1", "speech-to-text model name")]
        public const string Model = "MICAI_TRANSCRIPTION_MODEL";

        [Setting("30", "transcription timeout (then the fallback reply)")]
        public const string TimeoutSeconds = "MICAI_TRANSCRIPTION_TIMEOUT_SECONDS";

        [Setting("20", "voice notes transcribed per contact per day (UTC); over it: the fallback reply")]
        public const string DailyLimitPerContact = "MICAI_TRANSCRIPTION_DAILY_LIMIT_PER_CONTACT";

        [Setting("Sorry, I could not listen to your voice note. Could you type your message?", "the reply to a voice note that could not be transcribed (off, failed, over the cap)")]
        public const string FallbackReply = "MICAI_TRANSCRIPTION_FALLBACK_REPLY";
    }

    internal static TranscriptionSettings Read(SettingsReader r) => new(
        BaseUrl: r.IsSet(Keys.BaseUrl) ? r.AbsoluteUri(Keys.BaseUrl, fallback: "http://127.0.0.1/") : null,
        ApiKey: r.Secret(Keys.ApiKey),
        Model: r.String(Keys.Model),
        Timeout: r.Seconds(Keys.TimeoutSeconds, min: 1),
        DailyLimitPerContact: r.Int(Keys.DailyLimitPerContact, min: 0),
        FallbackReply: r.String(Keys.FallbackReply));

    /// <summary>Never print the API key.</summary>
    public override string ToString() => $"TranscriptionSettings {{ Model = {Model}, BaseUrl = {BaseUrl} }}";
}
