using MicAi.Core.Storage;

namespace MicAi.Core.Outbox;

/// <summary>
/// The "sent" marks of sends that finish together are written as one statement (a group commit): a worker's sends end
/// in bunches (a batch's jobs run side by side, several batches at once), and one UPDATE of many rows costs Postgres
/// and the pooler one round trip and one commit instead of one each. Every caller still waits for its own row's
/// commit, and its job is acked only after that, so a crash loses nothing a statement of its own would not have.
/// A mark that arrives while a write is in flight waits for the next one; whoever's mark is first in line writes
/// every mark waiting then, so no caller writes for others longer than one statement.
/// </summary>
public sealed partial class OutboundLedger
{
    private readonly Lock marksGate = new();
    private List<SentMark> marksWaiting = [];
    private bool marksWriting;

    private sealed record SentMark(string Key, string ProviderId, ClaimedSend? AsTemplate)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Records the send response. A status webhook may already have moved the row further (delivered, read):
    /// then only the provider id is filled in, the status is not downgraded.
    /// </summary>
    /// <param name="asTemplate">Set when the window turned a free-form send into this template: the row then says what went out.</param>
    public async Task MarkSentAsync(string key, string providerMessageId, ClaimedSend? asTemplate)
    {
        var mark = new SentMark(key, providerMessageId, asTemplate);
        bool first;
        lock (marksGate)
        {
            marksWaiting.Add(mark);
            first = !marksWriting;
            marksWriting = true;
        }
        if (!first && await Task.WhenAny(mark.Written.Task, mark.Turn.Task) == mark.Turn.Task) first = true;
        if (first) await WriteWaitingMarksAsync();
        await mark.Written.Task; // throws what the write threw
    }

    private async Task WriteWaitingMarksAsync()
    {
        List<SentMark> marks;
        lock (marksGate) (marks, marksWaiting) = (marksWaiting, []);
        try
        {
            await WriteMarksAsync(marks);
        }
        catch (Exception ex)
        {
            foreach (var mark in marks) mark.Written.TrySetException(ex);
        }
        finally
        {
            lock (marksGate)
            {
                if (marksWaiting.Count > 0) marksWaiting[0].Turn.TrySetResult();
                else marksWriting = false;
            }
        }
    }

    private async Task WriteMarksAsync(List<SentMark> marks)
    {
        try
        {
            await WriteSentAsync(marks);
            foreach (var mark in marks) mark.Written.TrySetResult();
            return;
        }
        catch (Exception ex) when (marks.Count > 1 && !StorageFailure.IsUnavailable(ex))
        {
            // One row the statement cannot write must not fail the sends of the others: each on its own below.
        }
        foreach (var mark in marks)
        {
            try
            {
                await WriteSentAsync([mark]);
                mark.Written.TrySetResult();
            }
            catch (Exception ex)
            {
                mark.Written.TrySetException(ex);
            }
        }
    }
}
