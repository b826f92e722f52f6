using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace MicAi.Core.Media;

/// <summary>
/// Media bytes in Azure Blob Storage, one blob per media id with its content type, in MICAI_MEDIA_BLOB_CONTAINER
/// (created on first write). Reached by connection string (Azurite, an account key or SAS) or by the account URL
/// with a managed identity (infra/: shared keys are off on the account).
/// </summary>
public sealed class BlobMediaContent(MediaSettings settings) : IMediaContent
{
    public const string Name = "blob";

    private readonly BlobContainerClient container = settings.BlobConnectionString is { } connection
        ? new BlobContainerClient(connection, settings.BlobContainer)
        : new BlobServiceClient(settings.BlobServiceUrl!, new ManagedIdentityCredential(
            settings.BlobClientId is { } id ? ManagedIdentityId.FromUserAssignedClientId(id) : ManagedIdentityId.SystemAssigned))
            .GetBlobContainerClient(settings.BlobContainer);

    private volatile bool exists;

    public string Location => Name;

    public async Task PutAsync(string mediaId, byte[] bytes, string mimeType, CancellationToken ct)
    {
        if (!exists)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: ct);
            exists = true;
        }
        // No conditions: writing the same id again (a re-run after a crash) replaces the blob with the same bytes.
        await container.GetBlobClient(mediaId).UploadAsync(BinaryData.FromBytes(bytes),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = mimeType } }, ct);
    }

    public async Task<byte[]?> ReadAsync(string mediaId, CancellationToken ct)
    {
        try
        {
            var download = await container.GetBlobClient(mediaId).DownloadContentAsync(ct);
            return download.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
