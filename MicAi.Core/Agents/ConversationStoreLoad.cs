using MicAi.Core.Inbox;
using MicAi.Core.Media;
using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Agents;

/// <summary>
/// The answer's one read. The loads of jobs that start together are one SELECT (<see cref="GroupCommit{TRequest, TResult}"/>
/// serves reads as well): behind a transaction-mode pooler nothing is prepared, and planning this join cost Postgres
/// more than running it (the bench's statement profile: 183 µs of planning to 69 µs of execution per message). The join
/// itself is the SQL function answer_context (migration 0070), whose plan Postgres keeps per server connection.
/// </summary>
public sealed partial class ConversationStore
{
    private GroupCommit<string, Loaded?>? loads;

    /// <summary>A message's row as read, before the caller's clock and the agent's compiled rules are applied.</summary>
    private sealed record Loaded(InboundContext Context, long RulesVersion, bool HasHandover, DateTimeOffset? HandoverUntil);

    /// <summary>
    /// Loads the message, its contact (if it has written or been bound before), the contact's agent (its binding,
    /// else the default agent) and the version of the agent's rules, whose compiled form comes from the worker's cache
    /// (read again only when the version moved: <see cref="AgentRuleCache"/>). Read-only: the contact is touched in the same
    /// transaction that records the outcome (<see cref="CompleteAsync"/>, <see cref="MarkIgnoredAsync"/>), one commit
    /// fewer per message. The read may carry other jobs' messages, so <paramref name="ct"/> is honoured before it starts.
    /// </summary>
    /// <param name="now">The clock's now: a handover is active while its end is still ahead of it.</param>
    public async Task<InboundContext?> LoadAsync(string wamid, DateTimeOffset now, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var loaded = await LazyInitializer.EnsureInitialized(ref loads, () => new(ReadAllAsync)).WriteAsync(wamid);
        if (loaded is null) return null;
        var context = loaded.Context;
        return context with
        {
            HandoverActive = loaded.HasHandover && (loaded.HandoverUntil is null || loaded.HandoverUntil > now),
            Agent = context.Agent with { Rules = await rules.GetAsync(context.Agent.Id, loaded.RulesVersion, ct) },
        };
    }

    /// <summary>
    /// One SELECT for every waiting job's message; a wamid asked for twice gets the same row. The payload is read only
    /// for the types that need it (a tap's id, a media object): each read of it decompresses the whole 1-3 KB again,
    /// and for a text the "type object" was the body a second time, sent to the worker and dropped. reply_id is what a
    /// tap sent back (a reply button's or list row's id, or a template quick reply's payload); last_inbound_at is the
    /// contact's once this message is recorded (CompleteAsync's ContactStore.TouchCommand).
    /// </summary>
    private async Task<Loaded?[]> ReadAllAsync(IReadOnlyList<string> wamids)
    {
        await using var cmd = db.CreateCommand("SELECT * FROM answer_context($1, $2)");
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. wamids.Distinct(StringComparer.Ordinal)] });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = MediaRef.Types });
        var found = new Dictionary<string, Loaded>(StringComparer.Ordinal);
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync())
            {
                var wamid = r.Get<string>("wamid");
                found[wamid] = Read(r, wamid);
            }
        return [.. wamids.Select(w => found.GetValueOrDefault(w))];
    }

    private static Loaded Read(NpgsqlDataReader r, string wamid)
    {
        var agent = new AgentProfile(r.Get<long>("agent_id"), r.Get<string>("agent_name"), r.Get<string>("persona"),
            r.Get<string>("fallback_reply"), r.Get<bool>("llm_enabled"), r.Get<string[]>("allowed_tools"), CompiledRules.Empty)
        { HandoverKeywords = r.Get<string[]>("handover_keywords"), HandoverReply = r.Get<string>("handover_reply") };
        var waId = r.Get<string>("wa_id");
        var phoneNumberId = r.Get<string>("phone_number_id");
        var context = new InboundContext(wamid, waId, r.GetOrNull<string>("text"), DbEnum<InboundStatus>.Parse(r.Get<string>("status")),
            phoneNumberId, r.Get<bool>("opted_out"), r.GetOrNull<string>("profile_name"), agent,
            r.GetOrNull<string>("time_zone"), r.Get<DateTimeOffset>("last_inbound_at"))
        {
            ReplyId = r.GetOrNull<string>("reply_id"),
            Media = MediaRef.From(wamid, waId, phoneNumberId, r.Get<string>("type"), r.GetOrNull<string>("type_object")),
        };
        return new Loaded(context, r.Get<long>("rules_version"), r.Get<bool>("has_handover"), r.GetNullable<DateTimeOffset>("handover_until"));
    }
}
