using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Operators;

/// <summary>One message in a contact's timeline (GET /admin/contacts/{wa_id}/messages).</summary>
public sealed record TimelineItem(
    string Direction, string Id, DateTimeOffset At, string Kind, string? Text, string Status, string? Reason, string? Author,
    string? Wamid, string? InReplyTo, string? TemplateName, int? ErrorCode, string? ErrorTitle,
    DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt, DateTimeOffset? ReadAt, DateTimeOffset? FailedAt, string? AnsweredBy);

/// <summary>A timeline page, newest first; <c>next_before</c> is the cursor of the next (older) page, null on the last.</summary>
public sealed record TimelinePage(TimelineItem[] Items, int Limit, string? NextBefore);

/// <summary>
/// A contact's inbound and outbound messages in one query: each table's newest rows before the cursor through its
/// (wa_id, time DESC, key DESC) index, at most a page from each, merged. A join read of both tables (their stores
/// own every write); the page's plan is an index scan on each (TimelineQueryPlanTests, 200k rows).
/// </summary>
public sealed class TimelineStore(NpgsqlDataSource db)
{
    // $2/$3/$4 = the cursor (time, 'o'|'i', key). Inbound rows at the cursor's time come after an outbound cursor, and
    // after an inbound one only with a smaller key; outbound rows at that time only after an outbound cursor.
    public const string PageSql = """
        (SELECT 'inbound' AS direction, i.wamid AS id, i.received_at AS at, i.type AS kind, i.text, i.status, i.error AS reason,
                NULL::text AS author, i.wamid AS wamid, i.context_message_id AS in_reply_to, NULL::text AS template_name,
                NULL::int AS error_code, NULL::timestamptz AS sent_at, NULL::timestamptz AS delivered_at,
                NULL::timestamptz AS read_at, NULL::timestamptz AS failed_at,
                (SELECT r.author FROM outbound_messages r WHERE r.idempotency_key = 'reply:' || i.wamid) AS answered_by
         FROM inbound_messages i
         WHERE i.wa_id = $1 AND i.received_at <= $2 AND (i.received_at < $2 OR $3 = 'o' OR i.wamid < $4)
         ORDER BY i.received_at DESC, i.wamid DESC LIMIT $5)
        UNION ALL
        (SELECT 'outbound', o.idempotency_key, o.created_at, o.kind, coalesce(o.body, o.template_name), o.status, o.error_text,
                o.author, o.provider_message_id,
                CASE WHEN o.idempotency_key LIKE 'reply:%' THEN split_part(substr(o.idempotency_key, 7), '#', 1) ELSE o.context_message_id END,
                o.template_name, o.error_code, o.sent_at, o.delivered_at, o.read_at, o.failed_at, NULL
         FROM outbound_messages o
         WHERE o.wa_id = $1 AND o.created_at <= $2 AND (o.created_at < $2 OR ($3 = 'o' AND o.idempotency_key < $4))
         ORDER BY o.created_at DESC, o.idempotency_key DESC LIMIT $5)
        ORDER BY at DESC, direction DESC, id DESC LIMIT $5
        """;

    /// <summary>The page's command (also what the query-plan test explains).</summary>
    public static NpgsqlCommand PageCommand(NpgsqlDataSource db, string waId, TimelineCursor? before, int limit, string prefix = "")
    {
        var cmd = db.CreateCommand(prefix + PageSql);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before?.At ?? DateTimeOffset.MaxValue.AddYears(-1) });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = before is { Outbound: false } ? "i" : "o" });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = before?.Key ?? "" });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return cmd;
    }

    public async Task<TimelinePage> PageAsync(string waId, TimelineCursor? before, int limit, CancellationToken ct)
    {
        await using var cmd = PageCommand(db, waId, before, limit);
        var items = new List<TimelineItem>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
                items.Add(new TimelineItem(r.Get<string>("direction"), r.Get<string>("id"), r.Get<DateTimeOffset>("at"), r.Get<string>("kind"),
                    r.GetOrNull<string>("text"), r.Get<string>("status"), r.GetOrNull<string>("reason"), r.GetOrNull<string>("author"),
                    r.GetOrNull<string>("wamid"), r.GetOrNull<string>("in_reply_to"), r.GetOrNull<string>("template_name"),
                    r.GetNullable<int>("error_code"), r.GetNullable<int>("error_code") is null ? null : r.GetOrNull<string>("reason"),
                    r.GetNullable<DateTimeOffset>("sent_at"), r.GetNullable<DateTimeOffset>("delivered_at"), r.GetNullable<DateTimeOffset>("read_at"),
                    r.GetNullable<DateTimeOffset>("failed_at"), r.GetOrNull<string>("answered_by")));
        }
        var last = items.Count == limit ? items[^1] : null;
        return new TimelinePage([.. items], limit, last is null ? null : new TimelineCursor(last.At, last.Direction == "outbound", last.Id).Encode());
    }
}
