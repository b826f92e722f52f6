using MicAi.Core.WhatsApp;
using Npgsql;

namespace MicAi.Core.Inbox;

/// <summary>
/// Applies delivery statuses to the outbound ledger. A status only moves forward (sent → delivered → read; failed is
/// terminal), so late or repeated webhooks are harmless. Rows are matched by the provider message id or by our
/// idempotency key echoed back in biz_opaque_callback_data, which also catches a status that arrives before the
/// send response was recorded. Statuses for messages we do not know are skipped.
/// </summary>
public sealed class StatusApplier(NpgsqlDataSource db)
{
    /// <summary>SQL rank of a ledger status; a status update applies only when it ranks higher.</summary>
    public const string RankSql = """
        CASE {0} WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'played' THEN 3
                 WHEN 'failed' THEN 4 ELSE 0 END
        """;

    public async Task<int> ApplyAsync(IReadOnlyList<StatusUpdate> statuses, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        foreach (var s in statuses)
        {
            var status = s.Status == "played" ? "read" : s.Status; // first playback of a voice note: at least read
            if (status is not ("sent" or "delivered" or "read" or "failed")) continue; // a status we don't track
            var command = new NpgsqlBatchCommand($"""
                UPDATE outbound_messages
                SET status = $2, provider_message_id = COALESCE(provider_message_id, $1),
                    error_code = COALESCE($4, error_code), error_text = COALESCE($5, error_text),
                    sent_at = COALESCE(sent_at, $6), updated_at = now()
                WHERE (provider_message_id = $1 OR idempotency_key = $3)
                  AND {string.Format(RankSql, "$2")} > {string.Format(RankSql, "status")}
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = s.ProviderMessageId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = s.CallbackData });
            command.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = s.ErrorCode });
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = s.ErrorTitle });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = s.Timestamp.UtcDateTime });
            batch.BatchCommands.Add(command);
        }
        if (batch.BatchCommands.Count == 0) return 0;
        return await batch.ExecuteNonQueryAsync(ct);
    }
}
