using MicAi.Core.Storage;

namespace MicAi.Core.Outbox;

/// <summary>
/// The "sent" marks of sends that finish together are written as one statement (<see cref="GroupCommit{TRequest, TResult}"/>):
/// a worker's sends end in bunches (a batch's jobs run side by side, several batches at once), and one UPDATE of many
/// rows costs Postgres and the pooler one round trip and one commit instead of one each. Every caller still waits for
/// its own row's commit, and its job is acked only after that, so a crash loses nothing a statement of its own would not have.
/// </summary>
public sealed partial class OutboundLedger
{
    private GroupCommit<SentMark, bool>? sentMarks;

    private sealed record SentMark(string Key, string ProviderId, ClaimedSend? AsTemplate);

    /// <summary>
    /// Records the send response. A status webhook may already have moved the row further (delivered, read):
    /// then only the provider id is filled in, the status is not downgraded.
    /// </summary>
    /// <param name="asTemplate">Set when the window turned a free-form send into this template: the row then says what went out.</param>
    public Task MarkSentAsync(string key, string providerMessageId, ClaimedSend? asTemplate) =>
        LazyInitializer.EnsureInitialized(ref sentMarks, () => new(WriteSentAsync)).WriteAsync(new SentMark(key, providerMessageId, asTemplate));
}
