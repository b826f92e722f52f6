using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace MicAi.Core.Media;

/// <summary>
/// Fetches one inbound media object into the media store: Graph's lookup, our type and size limits, the download
/// with the bearer token, Meta's sha256 and size checked, then the bytes kept and the row marked stored. Runs inside
/// the message's job, so a failure retries with the job's backoff; on the job's last attempt the row ends 'failed'
/// with the reason (never silently lost) and the message is answered without it. Idempotent: a stored, rejected or
/// failed row is returned as it is.
/// </summary>
public sealed class MediaDownloader(MediaStore media, MediaContents contents, GraphMediaClient graph, MediaSettings settings, ILogger<MediaDownloader> log)
{
    public async Task<MediaRow> FetchAsync(MediaRef m, bool lastAttempt, CancellationToken ct)
    {
        var row = await media.EnsureAsync(m, ct);
        if (row.Status != MediaStatus.Pending) return row;
        try
        {
            var lookup = await graph.LookupAsync(m.MediaId, m.PhoneNumberId, ct);
            if (!settings.Allows(lookup.MimeType))
                return await RejectAsync(m, $"type {MediaSettings.BaseType(lookup.MimeType)} is not in MICAI_MEDIA_ALLOWED_TYPES", ct);
            if (lookup.FileSize > settings.MaxBytes)
                return await RejectAsync(m, $"{lookup.FileSize} bytes is over MICAI_MEDIA_MAX_BYTES ({settings.MaxBytes})", ct);
            var bytes = await graph.DownloadAsync(lookup.Url, settings.MaxBytes, ct);
            if (lookup.FileSize is { } size && bytes.Length != size)
                throw new MediaFetchException($"downloaded {bytes.Length} bytes, Meta said {size}", retryable: true);
            if ((lookup.Sha256 ?? m.Sha256) is { } expected && !HashMatches(bytes, expected))
                throw new MediaFetchException("sha256 of the download does not match Meta's", retryable: true);
            var writer = contents.Writer;
            await writer.PutAsync(m.MediaId, bytes, lookup.MimeType, ct);
            var stored = await media.MarkStoredAsync(m.MediaId, lookup.MimeType, lookup.Sha256, bytes.Length, writer.Location, ct);
            MediaLog.Stored(log, m.MediaId, m.Wamid, bytes.Length, writer.Location);
            return stored;
        }
        catch (MediaFetchException ex) when (!ex.Retryable)
        {
            return await RejectAsync(m, ex.Message, ct, ex.OverLimit ? MediaStatus.Rejected : MediaStatus.Failed);
        }
        catch (MediaFetchException ex) when (lastAttempt)
        {
            MediaLog.GaveUp(log, m.MediaId, m.Wamid, ex.Message);
            return await media.RecordFailureAsync(m.MediaId, MediaStatus.Failed, ex.Message, ct);
        }
        catch (MediaFetchException ex)
        {
            await media.RecordFailureAsync(m.MediaId, MediaStatus.Pending, ex.Message, ct); // counted and visible; the job retries
            throw;
        }
    }

    private async Task<MediaRow> RejectAsync(MediaRef m, string reason, CancellationToken ct, MediaStatus status = MediaStatus.Rejected)
    {
        MediaLog.NotKept(log, m.MediaId, m.Wamid, status.ToString(), reason);
        return await media.RecordFailureAsync(m.MediaId, status, reason, ct);
    }

    /// <summary>Meta gives the hash as base64 in webhooks and as hex in the lookup: either form matches.</summary>
    public static bool HashMatches(byte[] bytes, string expected)
    {
        var actual = SHA256.HashData(bytes);
        return string.Equals(Convert.ToHexString(actual), expected.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(Convert.ToBase64String(actual), expected.Trim(), StringComparison.Ordinal);
    }
}
