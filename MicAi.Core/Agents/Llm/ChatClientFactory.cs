using System.ClientModel.Primitives;
using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using OpenAI;

namespace MicAi.Core.Agents.Llm;

/// <summary>
/// An IChatClient for any OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI's v1 endpoint, Ollama,
/// vLLM): MICAI_LLM_BASE_URL (with /v1), MICAI_LLM_MODEL, MICAI_LLM_API_KEY. No client-side retries: a slow or
/// failing model means the fallback reply now, not a user waiting through backoff.
/// </summary>
public static class ChatClientFactory
{
    public const string HttpClientName = "llm";

    public static IChatClient Create(LlmSettings settings, HttpClient http)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = settings.BaseUrl,
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = settings.Timeout,
        };
        // Local servers need no key, but the client insists on one.
        var key = new ApiKeyCredential(settings.ApiKey is { Length: > 0 } k ? k : "no-key");
        return new ChatClient(settings.Model, key, options).AsIChatClient();
    }
}
