using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Media;

/// <summary>A media row: what Meta said of the file, where its bytes are, and what was heard in a voice note.</summary>
public sealed record MediaRow(
    string MediaId, string? Wamid, string? WaId, string Type, string? MimeType, long? FileSize, string? Caption, string? Filename,
    bool Voice, MediaStatus Status, string? Location, int Attempts, string? Error, string? Transcript)
{
    /// <summary>For an operator's upload: its id at Graph, the number that uploaded it, and when.</summary>
    public string? GraphMediaId { get; init; }
    public string? GraphPhoneNumberId { get; init; }
    public DateTimeOffset? GraphUploadedAt { get; init; }
}

/// <summary>The media table: one row per media object a customer sent, created when its message is first handled.</summary>
public sealed class MediaStore(NpgsqlDataSource db)
{
    private const string Columns =
        "media_id, wamid, wa_id, type, mime_type, file_size, caption, filename, voice, status, location, attempts, error, transcript, " +
        "graph_media_id, graph_phone_number_id, graph_uploaded_at";

    /// <summary>Records the media (once: Meta redelivers, jobs re-run) and returns its row as it stands.</summary>
    public async Task<MediaRow> EnsureAsync(MediaRef m, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            WITH ins AS (
                INSERT INTO media (media_id, wamid, wa_id, type, mime_type, sha256, caption, filename, voice)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (media_id) DO NOTHING RETURNING {Columns})
            SELECT {Columns} FROM ins UNION ALL SELECT {Columns} FROM media WHERE media_id = $1
            LIMIT 1
            """);
        Add(cmd, m.MediaId, m.Wamid, m.WaId, m.Type, m.MimeType, m.Sha256, m.Caption, m.Filename);
        cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = m.Voice });
        return (await ReadAsync(cmd, ct))!;
    }

    public async Task<MediaRow?> GetAsync(string mediaId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} FROM media WHERE media_id = $1");
        Add(cmd, mediaId);
        return await ReadAsync(cmd, ct);
    }

    /// <summary>The bytes are kept (at <paramref name="location"/>): the row says what Graph said of them.</summary>
    public async Task<MediaRow> MarkStoredAsync(string mediaId, string mimeType, string? sha256, long size, string location, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE media SET status = {DbEnum<MediaStatus>.Sql(MediaStatus.Stored)}, mime_type = $2, sha256 = COALESCE($3, sha256), file_size = $4, location = $5,
                attempts = attempts + 1, error = NULL, stored_at = now()
            WHERE media_id = $1 RETURNING {Columns}
            """);
        Add(cmd, mediaId, mimeType, sha256);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = size });
        Add(cmd, location);
        return (await ReadAsync(cmd, ct))!;
    }

    /// <summary>An attempt failed: counted, with its reason; <paramref name="status"/> Rejected or Failed ends it, Pending retries.</summary>
    public async Task<MediaRow> RecordFailureAsync(string mediaId, MediaStatus status, string error, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            UPDATE media SET status = $2, attempts = attempts + 1, error = $3 WHERE media_id = $1 AND status = {DbEnum<MediaStatus>.Sql(MediaStatus.Pending)}
            RETURNING {Columns}
            """);
        Add(cmd, mediaId, status.ToDb(), error);
        return await ReadAsync(cmd, ct) ?? (await GetAsync(mediaId, ct))!;
    }

    /// <summary>An operator's file under a new id, pending until its bytes are kept (then <see cref="MarkStoredAsync"/>).</summary>
    public async Task InsertUploadAsync(string mediaId, string type, string mimeType, string? filename, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("INSERT INTO media (media_id, type, mime_type, filename) VALUES ($1, $2, $3, $4)");
        Add(cmd, mediaId, type, mimeType, filename);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task SaveGraphIdAsync(string mediaId, string graphMediaId, string phoneNumberId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "UPDATE media SET graph_media_id = $2, graph_phone_number_id = $3, graph_uploaded_at = now() WHERE media_id = $1");
        Add(cmd, mediaId, graphMediaId, phoneNumberId);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task SaveTranscriptAsync(string mediaId, string transcript, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE media SET transcript = $2, transcribed_at = now() WHERE media_id = $1");
        Add(cmd, mediaId, transcript);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Voice notes of this contact transcribed since midnight UTC (the daily cap).</summary>
    public async Task<long> TranscribedTodayAsync(string waId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "SELECT count(*) FROM media WHERE wa_id = $1 AND transcribed_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'");
        Add(cmd, waId);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static void Add(NpgsqlCommand cmd, params string?[] values)
    {
        foreach (var v in values) cmd.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = v });
    }

    private static async Task<MediaRow?> ReadAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new MediaRow(r.Get<string>("media_id"), r.GetOrNull<string>("wamid"), r.GetOrNull<string>("wa_id"), r.Get<string>("type"),
            r.GetOrNull<string>("mime_type"), r.GetNullable<long>("file_size"), r.GetOrNull<string>("caption"), r.GetOrNull<string>("filename"),
            r.Get<bool>("voice"), DbEnum<MediaStatus>.Parse(r.Get<string>("status")), r.GetOrNull<string>("location"), r.Get<int>("attempts"),
            r.GetOrNull<string>("error"), r.GetOrNull<string>("transcript"))
        {
            GraphMediaId = r.GetOrNull<string>("graph_media_id"),
            GraphPhoneNumberId = r.GetOrNull<string>("graph_phone_number_id"),
            GraphUploadedAt = r.GetNullable<DateTimeOffset>("graph_uploaded_at"),
        };
    }
}
