using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Media.MediaSettings.Keys))]

namespace MicAi.Core.Media;

/// <summary>
/// Inbound media: how big and of which types a file may be to be downloaded and kept, and where it is kept (Postgres
/// by default; Azure Blob Storage when a connection string or an account URL is set).
/// </summary>
public sealed record MediaSettings(
    long MaxBytes, IReadOnlyList<string> AllowedTypes, string? BlobConnectionString, Uri? BlobServiceUrl, string? BlobClientId, string BlobContainer)
{
    /// <summary>New bytes go to Azure Blob Storage.</summary>
    public bool UsesBlob => BlobConnectionString is not null || BlobServiceUrl is not null;

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

        [Setting(null, "Azure Blob Storage connection string (account key or SAS; Azurite); set: media bytes go to blobs, else to Postgres", Secret = true)]
        public const string BlobConnectionString = "MICAI_MEDIA_BLOB_CONNECTION_STRING";

        [Setting(null, "instead of a connection string: the account's blob endpoint, reached with a managed identity (infra/ sets it)")]
        public const string BlobServiceUrl = "MICAI_MEDIA_BLOB_URL";

        [Setting(null, "client id of the user-assigned identity for `MICAI_MEDIA_BLOB_URL` (unset: the system-assigned one)")]
        public const string BlobClientId = "MICAI_MEDIA_BLOB_CLIENT_ID";

        [Setting("media", "blob container for media (created if missing)")]
        public const string BlobContainer = "MICAI_MEDIA_BLOB_CONTAINER";
    }

    internal static MediaSettings Read(SettingsReader r)
    {
        var settings = new MediaSettings(
            MaxBytes: r.Int(Keys.MaxBytes, min: 1),
            AllowedTypes: r.List(Keys.AllowedTypes),
            BlobConnectionString: r.Secret(Keys.BlobConnectionString),
            BlobServiceUrl: r.IsSet(Keys.BlobServiceUrl) ? r.AbsoluteUri(Keys.BlobServiceUrl, fallback: "https://127.0.0.1/") : null,
            BlobClientId: r.OptionalString(Keys.BlobClientId),
            BlobContainer: r.String(Keys.BlobContainer));
        return settings.BlobConnectionString is not null && settings.BlobServiceUrl is not null
            ? r.Problem($"set {Keys.BlobConnectionString} or {Keys.BlobServiceUrl}, not both", settings)
            : settings;
    }

    /// <summary>The type without parameters, lower case: "audio/ogg; codecs=opus" → "audio/ogg".</summary>
    public static string BaseType(string mimeType) => mimeType.Split(';')[0].Trim().ToLowerInvariant();

    public bool Allows(string mimeType) => AllowedTypes.Contains(BaseType(mimeType), StringComparer.OrdinalIgnoreCase);

    /// <summary>Never print the connection string.</summary>
    public override string ToString() => $"MediaSettings {{ MaxBytes = {MaxBytes}, Blob = {UsesBlob} }}";
}
