using MicAi.Core.Inbox;
using MicAi.Core.Outbox;
using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Agents;

/// <summary>
/// The answer's one write. The answers of jobs that finish together are one transaction of four statements, each
/// writing every answer's rows (<see cref="GroupCommit{TRequest, TResult}"/>): a worker's jobs run side by side and
/// reach this point in bunches, and behind a transaction-mode pooler each statement is parsed and planned every time
/// it runs, so four statements for a bunch cost Postgres far less than four for each answer, besides the commits.
/// Every job still waits for its own answer's commit before it sends.
/// </summary>
public sealed partial class ConversationStore
{
    private GroupCommit<Answer, bool>? answers;

    private sealed record Answer(ConversationTurn Turn, IReadOnlyList<OutboundDraft> Replies, bool ClaimFirst);

    /// <summary>
    /// Records the answer atomically: the contact, the turn, the outbound ledger rows (their idempotency keys make a
    /// re-run a no-op) and the inbound status, in one transaction (shared with the answers of other jobs finishing at
    /// the same moment, unless another statement belongs to this one).
    /// </summary>
    /// <param name="claimFirst">Store the first reply already claimed for sending (the caller holds its slot).</param>
    /// <param name="alsoRun">Another store's statement that belongs to this answer (a handover the customer asked for).</param>
    /// <returns>True when the first reply's row was inserted by this call (with <paramref name="claimFirst"/>: it is ours to send).</returns>
    public Task<bool> CompleteAsync(
        ConversationTurn turn, IReadOnlyList<OutboundDraft> replies, bool claimFirst, CancellationToken ct, NpgsqlBatchCommand? alsoRun = null)
    {
        ct.ThrowIfCancellationRequested();
        // The rare answers that carry a statement of their own (a handover, START) are written alone.
        if (alsoRun is not null || turn.Responder == OptOutKeywords.OptInResponder)
        {
            // START: subscribed again in the same transaction as the answer, so its confirmation may be sent.
            NpgsqlBatchCommand? optIn = turn.Responder == OptOutKeywords.OptInResponder ? ContactStore.OptInCommand(turn.WaId) : null;
            return WriteAloneAsync(new Answer(turn, replies, claimFirst), [.. new[] { alsoRun, optIn }.OfType<NpgsqlBatchCommand>()]);
        }
        return LazyInitializer.EnsureInitialized(ref answers, () => new(waiting => WriteAnswersAsync(waiting, []))).WriteAsync(new Answer(turn, replies, claimFirst));
    }

    private async Task<bool> WriteAloneAsync(Answer answer, NpgsqlBatchCommand[] alsoRun) => (await WriteAnswersAsync([answer], alsoRun))[0];

    /// <summary>
    /// One transaction for every waiting answer. A message answered by two jobs at once (a reclaimed copy) is the first
    /// one's: the other's rows are left out, exactly as its own statements would have found them already there.
    /// </summary>
    /// <param name="alsoRun">Statements of other stores that belong to these answers, run after the contacts are touched.</param>
    private async Task<bool[]> WriteAnswersAsync(IReadOnlyList<Answer> waiting, NpgsqlBatchCommand[] alsoRun)
    {
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        var written = new List<Answer>(waiting.Count);
        for (var i = 0; i < waiting.Count; i++)
            if (owners.TryAdd(waiting[i].Turn.InboundWamid, i)) written.Add(waiting[i]);
        var wamids = written.Select(a => a.Turn.InboundWamid).Order(StringComparer.Ordinal).ToArray();

        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(ContactStore.TouchManyCommand(wamids));
        foreach (var command in alsoRun) batch.BatchCommands.Add(command);
        batch.BatchCommands.Add(InsertTurnsCommand(written));
        batch.BatchCommands.Add(InboundStore.MarkManyCommand(wamids, InboundStatus.Processed));
        // Last, so the reader's only result set is the keys it inserted.
        batch.BatchCommands.Add(OutboundLedger.InsertManyCommand(
            [.. written.SelectMany(a => a.Replies.Select((draft, part) => (draft, part == 0 && a.ClaimFirst)))]));
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await batch.ExecuteReaderAsync())
            while (await reader.ReadAsync()) inserted.Add(reader.Get<string>("idempotency_key"));

        var firstInserted = new bool[waiting.Count];
        for (var i = 0; i < waiting.Count; i++)
            firstInserted[i] = owners[waiting[i].Turn.InboundWamid] == i && inserted.Contains(waiting[i].Replies[0].IdempotencyKey);
        return firstInserted;
    }

    private static NpgsqlBatchCommand InsertTurnsCommand(IEnumerable<Answer> answers)
    {
        var turns = answers.Select(a => a.Turn).OrderBy(t => t.InboundWamid, StringComparer.Ordinal).ToArray();
        // INSERT INTO conversation_turns … ON CONFLICT (inbound_wamid) DO NOTHING: the procedure record_turns (0071).
        var cmd = new NpgsqlBatchCommand("CALL record_turns($1, $2, $3, $4, $5, $6, $7)");
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. turns.Select(t => t.WaId)] });
        cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. turns.Select(t => t.AgentId)] });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. turns.Select(t => t.InboundWamid)] });
        cmd.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. turns.Select(t => t.InboundText)] });
        cmd.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. turns.Select(t => t.ReplyText)] });
        cmd.Parameters.Add(new NpgsqlParameter<long?[]> { TypedValue = [.. turns.Select(t => t.MatchedRuleId)] });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. turns.Select(t => t.Responder)] });
        return cmd;
    }
}
