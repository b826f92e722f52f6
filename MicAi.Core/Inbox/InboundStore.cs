using MicAi.Core.WhatsApp;
using Npgsql;
using NpgsqlTypes;

namespace MicAi.Core.Inbox;

/// <summary>The inbound_messages table: the dedupe point and source of truth for every message Meta delivered.</summary>
public sealed class InboundStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Stores the batch in one statement; duplicates (Meta redelivers) are skipped by the primary key.
    /// Returns the wamids that were new and need an answer.
    /// </summary>
    public async Task<(int Stored, List<string> ToAnswer)> InsertNewAsync(IReadOnlyList<InboundMessage> messages, CancellationToken ct)
    {
        var toAnswer = new List<string>(messages.Count);
        if (messages.Count == 0) return (0, toAnswer);

        await using var cmd = db.CreateCommand("""
            INSERT INTO inbound_messages
                (wamid, phone_number_id, wa_id, phone, user_id, profile_name, type, text, context_message_id, sent_at, payload, status)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                 $8::text[], $9::text[], $10::timestamptz[], $11::jsonb[], $12::text[])
            ON CONFLICT (wamid) DO NOTHING
            RETURNING wamid, status
            """);
        Add(cmd, messages, m => m.Wamid);
        Add(cmd, messages, m => m.PhoneNumberId);
        Add(cmd, messages, m => m.WaId);
        Add(cmd, messages, m => m.Phone);
        Add(cmd, messages, m => m.UserId);
        Add(cmd, messages, m => m.ProfileName);
        Add(cmd, messages, m => m.Type);
        Add(cmd, messages, m => m.AgentText);
        Add(cmd, messages, m => m.ContextMessageId);
        cmd.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = messages.Select(m => m.Timestamp.UtcDateTime).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = messages.Select(m => m.Json).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        Add(cmd, messages, m => m.Answerable ? "received" : "ignored");

        var stored = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            stored++;
            if (reader.GetString(1) == "received") toAnswer.Add(reader.GetString(0));
        }
        return (stored, toAnswer);
    }

    private static void Add(NpgsqlCommand cmd, IReadOnlyList<InboundMessage> messages, Func<InboundMessage, string?> pick) =>
        cmd.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = messages.Select(pick).ToArray() });
}
