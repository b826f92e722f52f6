using Microsoft.AspNetCore.Http;
using Npgsql;

namespace MicAi.Core.Admin;

/// <summary>GET /admin/outbound: the outbound ledger, newest first, filtered by status and/or recipient.</summary>
public sealed class OutboundHandlers(NpgsqlDataSource db)
{
    private static readonly string[] Statuses =
        ["pending", "sending", "retrying", "sent", "delivered", "read", "failed", "suppressed", "skipped", "unknown"];

    public async Task<IResult> ListAsync(HttpContext c)
    {
        if (!AdminHttp.TryPaging(c, out var limit, out var offset, out var problem)) return problem!;
        var status = AdminHttp.Query(c, "status");
        if (status is not null && !Statuses.Contains(status)) return AdminHttp.Invalid("status", $"one of {string.Join(", ", Statuses)}");
        await using var cmd = db.CreateCommand("""
            SELECT idempotency_key, wa_id, kind, body, template_name, status, attempts, provider_message_id, error_code, error_text,
                   created_at, updated_at, sent_at
            FROM outbound_messages
            WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR wa_id = $2)
            ORDER BY created_at DESC, idempotency_key LIMIT $3 OFFSET $4
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = status });
        cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = AdminHttp.Query(c, "wa_id") });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        var items = new List<OutboundView>();
        await using (var r = await cmd.ExecuteReaderAsync(c.RequestAborted))
        {
            string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            while (await r.ReadAsync(c.RequestAborted))
                items.Add(new OutboundView(r.GetString(0), r.GetString(1), r.GetString(2), S(3), S(4), r.GetString(5), r.GetInt32(6), S(7),
                    r.IsDBNull(8) ? null : r.GetInt32(8), S(9), r.GetFieldValue<DateTimeOffset>(10), r.GetFieldValue<DateTimeOffset>(11),
                    r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12)));
        }
        return TypedResults.Json(new OutboundPage([.. items], limit, offset, AdminHttp.NextOffset(items.Count, limit, offset)), AdminJson.Default.OutboundPage);
    }
}
