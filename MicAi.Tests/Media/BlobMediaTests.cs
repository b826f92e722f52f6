using System.Net;
using Azure.Storage.Blobs;
using MicAi.Core.Agents;
using MicAi.Core.Media;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Media;

/// <summary>
/// The media store's Azure Blob backend against Azurite, which bin/test starts on a free loopback port
/// (bin/lib/azurite.sh, MICAI_TEST_AZURITE_BLOB_URL); skipped with the reason where it could not be installed.
/// </summary>
public sealed class BlobMediaTests
{
    // Azurite's well-known development account (documented by Microsoft; not a secret).
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};BlobEndpoint={Environment.GetEnvironmentVariable("MICAI_TEST_AZURITE_BLOB_URL")};";

    [AzuriteFact]
    public async Task Photo_IsKeptInABlobWithItsType_AndServedBackByteForByte_WhenBlobStorageIsConfigured()
    {
        await using var graph = await GraphStub.StartAsync();
        var settings = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
        var container = "media-" + Guid.NewGuid().ToString("N")[..12];
        settings[AgentSettings.Keys.RequireInvokePrefix] = "false";
        settings[MediaSettings.Keys.BlobConnectionString] = ConnectionString;
        settings[MediaSettings.Keys.BlobContainer] = container;
        await using var api = new MicAiApiFactory(settings);
        var photo = System.Security.Cryptography.RandomNumberGenerator.GetBytes(70_000);
        var mediaId = graph.Media.Add(photo, "image/png");

        var body = Webhooks.Message("1591" + Random.Shared.Next(1000000, 9999999), Webhooks.NewWamid(), "image",
            $$"""{"mime_type":"image/png","sha256":"{{GraphMediaStub.WebhookSha256(photo)}}","id":"{{mediaId}}"}""");
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().SendAsync(Webhooks.Post(body))).StatusCode);
        var runner = api.Get<JobRunner>();
        while (await runner.RunOnceAsync("test", CancellationToken.None) > 0) { }

        var served = await api.CreateAdminClient().GetAsync($"/admin/media/{mediaId}");
        Assert.Equal((HttpStatusCode.OK, "image/png"), (served.StatusCode, served.Content.Headers.ContentType?.MediaType));
        Assert.Equal(photo, await served.Content.ReadAsByteArrayAsync());
        var blob = new BlobContainerClient(ConnectionString, container).GetBlobClient(mediaId);
        Assert.Equal("image/png", (await blob.GetPropertiesAsync()).Value.ContentType);
        var db = api.Get<NpgsqlDataSource>();
        Assert.Equal("blob", await db.ScalarAsync<string>("SELECT location FROM media WHERE media_id = $1", mediaId));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM media_content WHERE media_id = $1", mediaId));
    }
}

/// <summary>A fact that needs Azurite: skipped, with bin/test's reason, where it could not be installed.</summary>
public sealed class AzuriteFactAttribute : FactAttribute
{
    public AzuriteFactAttribute() => Skip = Environment.GetEnvironmentVariable("MICAI_TEST_AZURITE_SKIPPED") is { Length: > 0 } why ? why : null;
}
