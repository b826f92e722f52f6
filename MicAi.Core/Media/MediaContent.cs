using MicAi.Core.Storage;
using Npgsql;

namespace MicAi.Core.Media;

/// <summary>Where media bytes are kept: Postgres (the default) or Azure Blob Storage. A row's location names its store.</summary>
public interface IMediaContent
{
    /// <summary>The media row's <c>location</c> for bytes kept here.</summary>
    string Location { get; }

    /// <summary>Keeps the bytes; writing the same id again replaces them (a re-run after a crash).</summary>
    Task PutAsync(string mediaId, byte[] bytes, string mimeType, CancellationToken ct);

    /// <summary>The bytes, or null when nothing is kept under the id.</summary>
    Task<byte[]?> ReadAsync(string mediaId, CancellationToken ct);
}

/// <summary>The media_content table: bytes as bytea, one statement per write or read (fine behind PgBouncer).</summary>
public sealed class PostgresMediaContent(NpgsqlDataSource db) : IMediaContent
{
    public const string Name = "postgres";

    public string Location => Name;

    public async Task PutAsync(string mediaId, byte[] bytes, string mimeType, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO media_content (media_id, bytes) VALUES ($1, $2)
            ON CONFLICT (media_id) DO UPDATE SET bytes = excluded.bytes
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = mediaId });
        cmd.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = bytes });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<byte[]?> ReadAsync(string mediaId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT bytes FROM media_content WHERE media_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = mediaId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? r.Get<byte[]>("bytes") : null;
    }
}

/// <summary>Picks the store new bytes go to (blob when configured) and the one a row's bytes are in.</summary>
public sealed class MediaContents(IEnumerable<IMediaContent> stores, MediaSettings settings)
{
    private readonly IMediaContent[] all = stores.ToArray();

    public IMediaContent Writer => all.First(s => s.Location == (settings.UsesBlob ? BlobMediaContent.Name : PostgresMediaContent.Name));

    public IMediaContent? For(string? location) => all.FirstOrDefault(s => s.Location == location);
}
