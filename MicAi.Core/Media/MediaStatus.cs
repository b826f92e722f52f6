namespace MicAi.Core.Media;

/// <summary>
/// Where a media row stands (column <c>status</c>): Pending until its bytes are kept; Stored when they are (served by
/// GET /admin/media/{media_id}); Rejected when Meta's answer breaks our limits (type, size), never retried; Failed
/// when the download kept failing until the job's last attempt (the error column says why).
/// </summary>
public enum MediaStatus
{
    Pending,
    Stored,
    Rejected,
    Failed,
}
