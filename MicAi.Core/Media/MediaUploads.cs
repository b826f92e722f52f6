namespace MicAi.Core.Media;

/// <summary>
/// A file an operator uploaded (POST /admin/media) sent by rules as Graph media: uploaded to Graph's
/// <c>POST /{phone number id}/media</c> once, and its Graph id reused while Meta keeps it (30 days; renewed after 29),
/// for the phone number that uploaded it. Two workers racing may both upload once: harmless, the last id is kept.
/// </summary>
public sealed class MediaUploads(MediaStore media, MediaContents contents, GraphMediaClient graph, TimeProvider time)
{
    /// <summary>How long a Graph media id is reused (Meta keeps uploads 30 days).</summary>
    public static readonly TimeSpan Reuse = TimeSpan.FromDays(29);

    /// <returns>The Graph media id to send, or null when no stored file has that id.</returns>
    public async Task<string?> GraphIdAsync(string fileId, string phoneNumberId, CancellationToken ct)
    {
        if (await media.GetAsync(fileId, ct) is not { Status: MediaStatus.Stored } row) return null;
        if (row.GraphMediaId is { } known && row.GraphPhoneNumberId == phoneNumberId && row.GraphUploadedAt > time.GetUtcNow() - Reuse)
            return known;
        if (contents.For(row.Location) is not { } store || await store.ReadAsync(row.MediaId, ct) is not { } bytes) return null;
        var id = await graph.UploadAsync(phoneNumberId, bytes, row.MimeType ?? "application/octet-stream", row.Filename ?? row.MediaId, ct);
        await media.SaveGraphIdAsync(row.MediaId, id, phoneNumberId, ct);
        return id;
    }
}
