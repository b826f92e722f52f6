// Microsoft.Extensions.AI marks its speech-to-text abstraction experimental (MEAI001); it is the abstraction we want.
#pragma warning disable MEAI001
using MicAi.Core.Http;
using Microsoft.Extensions.AI;
using OpenAI.Audio;

namespace MicAi.Core.Media;

/// <summary>
/// Speech to text through Microsoft.Extensions.AI's <see cref="ISpeechToTextClient"/> over the OpenAI client's audio
/// endpoint (<c>POST {MICAI_TRANSCRIPTION_BASE_URL}/audio/transcriptions</c>, multipart file + model), so any
/// OpenAI-compatible server works (OpenAI, Azure OpenAI's v1 endpoint, a local whisper server). No client retries:
/// a failed transcription means the fallback reply now.
/// </summary>
public sealed class Transcriber(TranscriptionSettings settings, IHttpClientFactory http)
{
    public const string HttpClientName = "transcription";

    // Built on the first voice note, not with the object: a constructor naming Microsoft.Extensions.AI's types loaded
    // its assemblies into every worker at start.
    private ISpeechToTextClient? client;
    private bool clientBuilt;
    private object? clientLock;

    public bool IsOn => settings.BaseUrl is not null;

    /// <returns>The text heard (trimmed), or null when nothing was heard.</returns>
    public async Task<string?> TranscribeAsync(byte[] audio, string mimeType, CancellationToken ct)
    {
        if (Client() is not { } stt) return null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        // OpenAI tells the format by the multipart file name's extension, and the client takes that name only from a
        // FileStream: a throw-away file named for the type (a voice note is OGG/Opus), deleted when closed.
        var path = Path.Combine(Path.GetTempPath(), $"micai-voice-{Guid.NewGuid():N}{Extension(mimeType)}");
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose);
        await stream.WriteAsync(audio, timeout.Token);
        stream.Position = 0;
        var response = await stt.GetTextAsync(stream, new SpeechToTextOptions { ModelId = settings.Model }, timeout.Token);
        return Http.StorableText.Without(response.Text) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
    }

    private ISpeechToTextClient? Client() =>
        LazyInitializer.EnsureInitialized(ref client, ref clientBuilt, ref clientLock, () => Create(settings, http.CreateClient(HttpClientName)));

    private static string Extension(string mimeType) => MediaSettings.BaseType(mimeType) switch
    {
        "audio/ogg" => ".ogg",
        "audio/mpeg" => ".mp3",
        "audio/mp4" or "audio/aac" => ".m4a",
        "audio/amr" => ".amr",
        _ => ".ogg",
    };

    private static ISpeechToTextClient? Create(TranscriptionSettings settings, HttpClient http)
    {
        if (settings.BaseUrl is null) return null;
        return new AudioClient(settings.Model, OpenAiCompatible.Key(settings.ApiKey), OpenAiCompatible.Options(settings.BaseUrl, settings.Timeout, http))
            .AsISpeechToTextClient();
    }
}
