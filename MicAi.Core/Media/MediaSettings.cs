using MicAi.Core.Configuration;

namespace MicAi.Core.Media;

/// <summary>
/// Inbound media: how big and of which types a file may be to be downloaded and kept, and where it is kept (Postgres
/// by default; Azure Blob Storage when a connection string is set).
/// </summary>
public sealed record MediaSettings(long MaxBytes, IReadOnlyList<string> AllowedTypes, string? BlobConnectionString, string BlobContainer)
{
    /// <summary>Meta's supported media types (Cloud API "Supported media types"): what a customer can send.</summary>
    public const string MetaTypes =
        "audio/aac,audio/amr,audio/mpeg,audio/mp4,audio/ogg,image/jpeg,image/png,image/webp,video/mp4,video/3gpp," +
        "text/plain,application/pdf,application/msword,application/vnd.ms-excel,application/vnd.ms-powerpoint," +
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document," +
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet," +
        "application/vnd.openxmlformats-officedocument.presentationml.presentation";

    public static class Keys
    {
        [Setting("16777216", "largest inbound media file kept, in bytes (Meta's audio/video limit is 16 MB); a larger one is recorded `rejected`")]
        public const string MaxBytes = "MICAI_MEDIA_MAX_BYTES";

        [Setting(MetaTypes, "comma-separated MIME types kept (parameters such as `; codecs=opus` ignored); others are recorded `rejected`", Shown = "Meta's supported types")]
        public const string AllowedTypes = "MICAI_MEDIA_ALLOWED_TYPES";

        [Setting(null, "Azure Blob Storage connection string; set: media bytes go to blobs, else to Postgres", Secret = true)]
        public const string BlobConnectionString = "MICAI_MEDIA_BLOB_CONNECTION_STRING";

        [Setting("media", "blob container for media (created if missing)")]
        public const string BlobContainer = "MICAI_MEDIA_BLOB_CONTAINER";
    }

    internal static MediaSettings Read(SettingsReader r) => new(
        MaxBytes: r.Int(Keys.MaxBytes, min: 1),
        AllowedTypes: r.List(Keys.AllowedTypes),
        BlobConnectionString: r.Secret(Keys.BlobConnectionString),
        BlobContainer: r.String(Keys.BlobContainer));

    /// <summary>The type without parameters, lower case: "audio/ogg; codecs=opus" → "audio/ogg".</summary>
    public static string BaseType(string mimeType) => mimeType.Split(';')[0].Trim().ToLowerInvariant();

    public bool Allows(string mimeType) => AllowedTypes.Contains(BaseType(mimeType), StringComparer.OrdinalIgnoreCase);

    /// <summary>Never print the connection string.</summary>
    public override string ToString() => $"MediaSettings {{ MaxBytes = {MaxBytes}, Blob = {BlobConnectionString is not null} }}";
}
