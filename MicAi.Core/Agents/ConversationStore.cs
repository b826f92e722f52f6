using System.Text.Json.Serialization;
using MicAi.Core.Inbox;
using MicAi.Core.Media;
using MicAi.Core.Outbox;
using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Agents;

/// <summary>What the worker needs to answer one inbound message, loaded in one round trip.</summary>
public sealed record InboundContext(
    string Wamid, string WaId, string? Text, InboundStatus Status, string PhoneNumberId,
    bool OptedOut, string? ProfileName, AgentProfile Agent, string? TimeZone = null, DateTimeOffset? LastInboundAt = null)
{
    /// <summary>A person is answering this contact (an active handover): the bot sends nothing.</summary>
    public bool HandoverActive { get; init; }

    /// <summary>The id of the button or list row tapped (or a template quick reply's payload); rules match it too.</summary>
    public string? ReplyId { get; init; }

    /// <summary>The image, voice note, video, document or sticker the message carries, if any.</summary>
    public MediaRef? Media { get; init; }
}

/// <summary>A conversation turn: the answer chosen for one inbound message.</summary>
public sealed record ConversationTurn(string WaId, long AgentId, string InboundWamid, string? InboundText, string? ReplyText, long? MatchedRuleId, string Responder);

/// <summary>
/// The conversation_turns table, and the answer's one read and one write: the read joins the message, its contact and
/// agent (ConversationStoreLoad.cs); the write is one batch of each table's own statements (contacts, the turn, the
/// ledger, the message: ConversationStoreAnswers.cs). Both are shared by the jobs that reach them together.
/// </summary>
public sealed partial class ConversationStore(NpgsqlDataSource db, AgentRuleCache rules)
{
    /// <summary>Stored but deliberately not answered (not addressed to the bot, opted out …).</summary>
    public async Task MarkIgnoredAsync(string wamid, string reason, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(ContactStore.TouchCommand(wamid));
        batch.BatchCommands.Add(InboundStore.MarkCommand(wamid, InboundStatus.Ignored, reason));
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The contact's last <paramref name="count"/> answered turns, oldest first (LLM history).</summary>
    public async Task<List<(string User, string Assistant)>> RecentTurnsAsync(string waId, int count, CancellationToken ct)
    {
        var turns = new List<(string, string)>();
        if (count <= 0) return turns;
        await using var cmd = db.CreateCommand("""
            SELECT inbound_text, reply_text FROM conversation_turns
            WHERE wa_id = $1 AND inbound_text IS NOT NULL AND reply_text IS NOT NULL
            ORDER BY id DESC LIMIT $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) turns.Add((r.Get<string>("inbound_text"), r.Get<string>("reply_text")));
        turns.Reverse();
        return turns;
    }

    /// <summary>A contact's turns, newest first (the admin API's conversation view).</summary>
    public async Task<List<TurnView>> TurnsAsync(string waId, int limit, int offset, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, agent_id, inbound_wamid, inbound_text, reply_text, matched_rule_id, responder, created_at
            FROM conversation_turns WHERE wa_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        var list = new List<TurnView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new TurnView(r.Get<long>("id"), r.GetNullable<long>("agent_id"), r.Get<string>("inbound_wamid"), r.GetOrNull<string>("inbound_text"),
                r.GetOrNull<string>("reply_text"), r.GetNullable<long>("matched_rule_id"), r.Get<string>("responder"), r.Get<DateTimeOffset>("created_at")));
        return list;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AgentRule[]))]
[JsonSerializable(typeof(MicAi.Core.WhatsApp.RichReply))]
internal sealed partial class AgentJson : JsonSerializerContext;
