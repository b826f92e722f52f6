using System.Reflection;
using MicAi.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace MicAi.Core.Media;

/// <summary>
/// The body of POST {admin}/media: a file's raw bytes, its type in Content-Type, its name in <c>?filename=</c>. Read
/// only after the access check, with MICAI_MEDIA_MAX_BYTES as a hard limit (413), and refused (400) when empty or of a
/// type MICAI_MEDIA_ALLOWED_TYPES does not list, so a rule never references a file Meta would refuse.
/// </summary>
public sealed class MediaUpload : IRequestInput, IBindableFromHttpContext<MediaUpload>, IEndpointParameterMetadataProvider
{
    private readonly HttpContext context;

    private MediaUpload(HttpContext context) => this.context = context;

    public byte[] Bytes { get; private set; } = [];
    public string MimeType { get; private set; } = "";
    public string? Filename { get; private set; }

    /// <summary>Graph's media type for a MIME type: image, audio, video, else document.</summary>
    public string Type => MediaSettings.BaseType(MimeType).Split('/')[0] switch
    {
        "image" => "image",
        "audio" => "audio",
        "video" => "video",
        _ => "document",
    };

    public static ValueTask<MediaUpload?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<MediaUpload?>(new(context));

    public async ValueTask<IResult?> ValidateAsync(CancellationToken ct)
    {
        var settings = context.RequestServices.GetService(typeof(MediaSettings)) as MediaSettings
            ?? throw new InvalidOperationException("MediaSettings are not registered");
        var type = context.Request.ContentType;
        if (string.IsNullOrWhiteSpace(type) || !settings.Allows(type))
            return Problems.FieldError("content_type", $"must be one of MICAI_MEDIA_ALLOWED_TYPES, got '{type}'");
        using var body = await RequestBody.ReadAsync(context.Request, settings.MaxBytes, ct);
        if (body is null)
            return TypedResults.Problem($"the file is larger than MICAI_MEDIA_MAX_BYTES ({settings.MaxBytes})", statusCode: StatusCodes.Status413PayloadTooLarge);
        if (body.Length == 0) return Problems.FieldError("body", "the file is empty");
        var filename = context.Request.Query["filename"].ToString();
        if (filename.Length > 240 || filename.IndexOfAny(['/', '\\', '\0']) >= 0) return Problems.FieldError("filename", "a plain file name of at most 240 characters");
        Bytes = body.Memory.ToArray();
        MimeType = MediaSettings.BaseType(type);
        Filename = filename.Length == 0 ? null : filename;
        return null;
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        // Any type: routing would answer 415 before the access check; the type is checked here, after it.
        builder.Metadata.Add(new AcceptsMetadata(["*/*"], typeof(byte[])));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ["application/problem+json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status413PayloadTooLarge, typeof(ProblemDetails), ["application/problem+json"]));
    }
}
