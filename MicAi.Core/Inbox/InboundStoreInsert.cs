using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using Npgsql;
using NpgsqlTypes;

namespace MicAi.Core.Inbox;

/// <summary>
/// Storing new messages. The webhooks that arrive together are stored as one statement and one commit
/// (<see cref="GroupCommit{TRequest, TResult}"/>): under load Meta's deliveries come in bursts, and one INSERT of many
/// rows costs Postgres and the pooler one round trip and one WAL flush instead of one each. Every webhook still waits
/// for its own rows' commit before it is answered 200, so a message is durable before Meta hears it was received.
/// </summary>
public sealed partial class InboundStore
{
    private GroupCommit<IReadOnlyList<InboundMessage>, Inserted>? inserts;

    /// <summary>What one caller's messages came to: how many were new, and which of those need an answer.</summary>
    public sealed record Inserted(int Stored, List<string> ToAnswer);

    /// <summary>
    /// Stores the messages; duplicates (Meta redelivers) are skipped by the primary key. The statement may carry other
    /// callers' messages, so <paramref name="ct"/> is honoured before it starts, not during it.
    /// </summary>
    public Task<Inserted> InsertNewAsync(IReadOnlyList<InboundMessage> messages, CancellationToken ct)
    {
        if (messages.Count == 0) return Task.FromResult(new Inserted(0, []));
        ct.ThrowIfCancellationRequested();
        return LazyInitializer.EnsureInitialized(ref inserts, () => new(InsertAllAsync)).WriteAsync(messages);
    }

    /// <summary>
    /// One INSERT for every caller's messages. A wamid that two callers carry (a redelivery racing the first delivery)
    /// is the first caller's: the other's copy is a duplicate, exactly as if it had come a moment later.
    /// </summary>
    private async Task<Inserted[]> InsertAllAsync(IReadOnlyList<IReadOnlyList<InboundMessage>> callers)
    {
        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<InboundMessage>();
        for (var i = 0; i < callers.Count; i++)
            foreach (var message in callers[i])
                if (owner.TryAdd(message.Wamid, i)) rows.Add(message);

        // The INSERT … ON CONFLICT DO NOTHING RETURNING wamid, status is the function store_inbound (migration 0071),
        // whose plan Postgres keeps per server connection: nothing is prepared behind a transaction-mode pooler.
        await using var cmd = db.CreateCommand("SELECT wamid, status FROM store_inbound($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
        Add(cmd, rows, m => m.Wamid);
        Add(cmd, rows, m => m.PhoneNumberId);
        Add(cmd, rows, m => m.WaId);
        Add(cmd, rows, m => m.Phone);
        Add(cmd, rows, m => m.UserId);
        Add(cmd, rows, m => m.ProfileName);
        Add(cmd, rows, m => m.Type);
        Add(cmd, rows, m => m.AgentText);
        Add(cmd, rows, m => m.ContextMessageId);
        cmd.Parameters.Add(new NpgsqlParameter<DateTime?[]> { TypedValue = rows.Select(m => m.Timestamp?.UtcDateTime).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = rows.Select(m => m.Json).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        // Types that are never answered (reactions, system, unsupported, unknown) are stored already ignored, messages
        // MicAi cannot use as invalid with the reason.
        Add(cmd, rows, m => m.InvalidReason is not null ? Invalid : m.Answerable ? Received : Ignored);
        Add(cmd, rows, m => m.InvalidReason);

        var stored = new int[callers.Count];
        var toAnswer = callers.Select(_ => new List<string>()).ToArray();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var wamid = reader.Get<string>("wamid");
            var i = owner[wamid];
            stored[i]++;
            if (reader.Get<string>("status") == Received) toAnswer[i].Add(wamid);
        }
        return [.. stored.Select((n, i) => new Inserted(n, toAnswer[i]))];
    }

    private static void Add(NpgsqlCommand cmd, List<InboundMessage> messages, Func<InboundMessage, string?> pick) =>
        cmd.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = messages.Select(pick).ToArray() });
}
