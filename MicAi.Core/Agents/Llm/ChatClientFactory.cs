using MicAi.Core.Http;
using Microsoft.Extensions.AI;
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

    public static IChatClient Create(LlmSettings settings, HttpClient http) =>
        new ChatClient(settings.Model, OpenAiCompatible.Key(settings.ApiKey), OpenAiCompatible.Options(settings.BaseUrl, settings.Timeout, http))
            .AsIChatClient();
}
