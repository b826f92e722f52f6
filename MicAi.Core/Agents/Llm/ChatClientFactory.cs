using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace MicAi.Core.Agents.Llm;

/// <summary>
/// An IChatClient for any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI's v1 endpoint, Ollama,
/// vLLM): MICAI_LLM_BASE_URL (with /v1), MICAI_LLM_MODEL, MICAI_LLM_API_KEY. No client-side retries: a slow or
/// failing model means the fallback reply now, not a user waiting through backoff.
/// </summary>
public static class ChatClientFactory
{
    public const string HttpClientName = "llm";

    public static IChatClient Create(PlatformSettings settings, HttpClient http)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = settings.LlmBaseUrl,
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = settings.LlmTimeout,
        };
        // Local servers need no key, but the client insists on one.
        var key = new ApiKeyCredential(settings.LlmApiKey is { Length: > 0 } k ? k : "no-key");
        return new ChatClient(settings.LlmModel, key, options).AsIChatClient();
    }
}
