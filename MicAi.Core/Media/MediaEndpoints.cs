using MicAi.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace MicAi.Core.Media;

/// <summary>
/// {admin}/media: the bytes a customer sent, with their type, once downloaded; and files operators upload for
/// reply_media rules (<c>"media": {"type", "file": "&lt;media_id&gt;"}</c>).
/// </summary>
public static class MediaEndpoints
{
    public static readonly ApiTag Tag = new("media",
        "Media customers sent (images, voice notes, videos, documents, stickers), downloaded from Meta soon after arrival.");

    public static RouteGroupBuilder MapMedia(this RouteGroupBuilder admin)
    {
        var media = admin.MapTagged("/media", Tag);
        media.MapGet("/{media_id}", GetAsync).WithName("GetMedia")
            .WithSummary("Download a media file by Meta's media id, with its content type")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        media.MapPost("", UploadAsync).WithName("UploadMedia")
            .WithSummary("Upload a file for rules to send (raw bytes; Content-Type its type; ?filename= its name)");
        return admin;
    }

    private static async Task<Created<MediaView>> UploadAsync(
        MediaUpload upload, [FromServices] MediaStore media, [FromServices] MediaContents contents, CancellationToken ct)
    {
        var id = "upload-" + Guid.NewGuid().ToString("N");
        var writer = contents.Writer;
        await media.InsertUploadAsync(id, upload.Type, upload.MimeType, upload.Filename, ct); // the row first: media_content refers to it
        await writer.PutAsync(id, upload.Bytes, upload.MimeType, ct);
        var row = await media.MarkStoredAsync(id, upload.MimeType, null, upload.Bytes.Length, writer.Location, ct);
        return TypedResults.Created($"media/{id}", new MediaView(row.MediaId, row.Type, row.MimeType!, row.FileSize ?? 0, row.Filename));
    }

    private static async Task<Results<FileContentHttpResult, NotFoundProblem, ConflictProblem>> GetAsync(
        [FromRoute(Name = "media_id")] string mediaId, [FromServices] MediaStore media, [FromServices] MediaContents contents, CancellationToken ct)
    {
        if (await media.GetAsync(mediaId, ct) is not { } row) return new NotFoundProblem($"media {mediaId} not found");
        if (row.Status != MediaStatus.Stored)
            return new ConflictProblem($"media {mediaId} has no stored file: {row.Status.ToString().ToLowerInvariant()}{(row.Error is null ? "" : " (" + row.Error + ")")}");
        if (contents.For(row.Location) is not { } store || await store.ReadAsync(mediaId, ct) is not { } bytes)
            return new NotFoundProblem($"media {mediaId}: the stored file is missing from {row.Location}");
        return TypedResults.File(bytes, row.MimeType ?? "application/octet-stream", row.Filename);
    }
}

/// <summary>An uploaded file: the id a reply_media rule names as <c>file</c>.</summary>
public sealed record MediaView(string MediaId, string Type, string MimeType, long FileSize, string? Filename);
