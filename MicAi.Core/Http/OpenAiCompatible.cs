using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;

namespace MicAi.Core.Http;

/// <summary>
/// The OpenAI client's options for any OpenAI-compatible endpoint (chat for the LLM, audio for transcription) over
/// one of our HttpClients: no client-side retries (a slow or failing model means the fallback reply now, not a user
/// waiting through backoff), the caller's timeout, and a placeholder key for local servers that need none (the
/// client insists on one).
/// </summary>
public static class OpenAiCompatible
{
    public static OpenAIClientOptions Options(Uri endpoint, TimeSpan timeout, HttpClient http) => new()
    {
        Endpoint = endpoint,
        Transport = new HttpClientPipelineTransport(http),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = timeout,
    };

    public static ApiKeyCredential Key(string? apiKey) => new(apiKey is { Length: > 0 } k ? k : "no-key");
}
