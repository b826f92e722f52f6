using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Agents.Llm;

/// <summary>
/// Answers with the model when an agent has llm_enabled and no rule or tool matched: the persona is the system
/// prompt, the contact's last MICAI_LLM_HISTORY_TURNS turns are the history. Null (→ the fallback reply) when the
/// daily cap is reached, the call times out (MICAI_LLM_TIMEOUT_SECONDS) or fails in any way.
/// The typing indicator the contact sees while the model thinks is the one sent with the read receipt when the
/// worker starts answering (Outbox/ReadReceipts).
/// </summary>
public sealed class LlmResponder(
    IHttpClientFactory http, LlmUsageStore usage, ConversationStore conversations, LlmSettings settings, TimeProvider time,
    ILogger<LlmResponder> log)
{
    public const int MaxOutputTokens = 400;

    // Built on the first LLM reply: most deployments never call a model, and a process that does not answer
    // messages (the api) should not load the client's assemblies at all (~3 MB of RSS in the worker, bench).
    private IChatClient? chat;

    private IChatClient Chat => chat ??= ChatClientFactory.Create(settings, http.CreateClient(ChatClientFactory.HttpClientName));

    public async Task<string?> ReplyAsync(InboundContext context, string text, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (!await usage.TryTakeAsync(context.WaId, today, settings.DailyLimitPerContact, ct))
        {
            LlmLog.Capped(log, settings.DailyLimitPerContact);
            LlmMetrics.Capped();
            return null;
        }

        var messages = new List<ChatMessage> { new(ChatRole.System, SystemPrompt(context.Agent, context.ProfileName)) };
        foreach (var (user, assistant) in await conversations.RecentTurnsAsync(context.WaId, settings.HistoryTurns, ct))
        {
            messages.Add(new ChatMessage(ChatRole.User, user));
            messages.Add(new ChatMessage(ChatRole.Assistant, assistant));
        }
        messages.Add(new ChatMessage(ChatRole.User, text));
        return await AskAsync(messages, ct);
    }

    /// <summary>
    /// What the model answers <paramref name="text"/> as <paramref name="agent"/>, for the console's "try a message":
    /// no contact, so no history and no daily allowance taken (nothing is written). Null when it does not answer.
    /// </summary>
    public Task<string?> PreviewAsync(AgentProfile agent, string text, CancellationToken ct) =>
        AskAsync([new(ChatRole.System, SystemPrompt(agent, null)), new(ChatRole.User, text)], ct);

    private async Task<string?> AskAsync(List<ChatMessage> messages, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        var started = time.GetTimestamp();
        try
        {
            var response = await Chat.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = MaxOutputTokens }, timeout.Token);
            var reply = Http.StorableText.Without(response.Text)?.Trim();
            LlmLog.Answered(log, time.GetElapsedTime(started).TotalMilliseconds);
            LlmMetrics.Answered(time.GetElapsedTime(started), response.Usage);
            return string.IsNullOrEmpty(reply) ? null : reply;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Timeout, HTTP error, malformed answer: the contact gets the fallback reply instead.
            LlmLog.Failed(log, ex.GetType().Name, time.GetElapsedTime(started).TotalMilliseconds);
            LlmMetrics.Failed(time.GetElapsedTime(started));
            return null;
        }
    }

    private static string SystemPrompt(AgentProfile agent, string? profileName)
    {
        var persona = string.IsNullOrWhiteSpace(agent.Persona) ? "You are a helpful assistant." : agent.Persona.Trim();
        var name = string.IsNullOrWhiteSpace(profileName) ? "" : $" The user's name is {profileName}.";
        return $"{persona}\nYou are chatting on WhatsApp: answer briefly, in plain text, in the user's language.{name}";
    }
}

internal static partial class LlmLog
{
    [LoggerMessage(8200, LogLevel.Information, "LLM answered in {ElapsedMs} ms")]
    public static partial void Answered(ILogger log, double elapsedMs);

    [LoggerMessage(8201, LogLevel.Warning, "LLM call failed ({Error}) after {ElapsedMs} ms; fallback reply used")]
    public static partial void Failed(ILogger log, string error, double elapsedMs);

    [LoggerMessage(8202, LogLevel.Information, "LLM daily limit of {Limit} reached for a contact; fallback reply used")]
    public static partial void Capped(ILogger log, int limit);

}
