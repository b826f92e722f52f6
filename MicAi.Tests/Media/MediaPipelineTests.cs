using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MicAi.Core.Media;
using MicAi.Tests.Admin;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Media;

/// <summary>Inbound media through the real pipeline: webhook → worker (downloads through the Graph stub) → media store → admin API.</summary>
public sealed class MediaPipelineTests(MediaApiFixture fx) : IClassFixture<MediaApiFixture>
{
    private NpgsqlDataSource Db => fx.Api.Get<NpgsqlDataSource>();

    private static string NewContact(string prefix) => prefix + Random.Shared.Next(1000000, 9999999);

    private async Task PostAsync(byte[] body) =>
        Assert.Equal(HttpStatusCode.OK, (await fx.Api.CreateClient().SendAsync(Webhooks.Post(body))).StatusCode);

    /// <summary>A media message as Meta delivers it: the id, mime type and base64 sha256, and extra fields per type.</summary>
    private static byte[] MediaMessage(string from, string wamid, string type, string mediaId, string mimeType, byte[] bytes, string extra = "") =>
        Webhooks.Message(from, wamid, type,
            $$"""{"mime_type":{{JsonSerializer.Serialize(mimeType)}},"sha256":"{{GraphMediaStub.WebhookSha256(bytes)}}","id":"{{mediaId}}"{{extra}}}""");

    [Fact]
    public async Task Photo_IsDownloadedWithTheToken_StoredAndServedBackByteForByte()
    {
        var photo = RandomNumberGenerator(48_000);
        var mediaId = fx.Graph.Media.Add(photo, "image/jpeg");
        var from = NewContact("1580");
        await PostAsync(MediaMessage(from, Webhooks.NewWamid(), "image", mediaId, "image/jpeg", photo, ""","caption":"Photo of the damaged box" """));
        await fx.DrainAsync();

        var served = await fx.Api.CreateAdminClient().GetAsync($"/admin/media/{mediaId}");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(photo, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal("stored|Photo of the damaged box|postgres|48000", await Db.ScalarAsync<string>(
            "SELECT status || '|' || caption || '|' || location || '|' || file_size FROM media WHERE media_id = $1", mediaId));
        Assert.Equal([$"lookup:{mediaId}", $"download:{mediaId}"], fx.Graph.Media.Calls.Where(c => c.EndsWith(mediaId, StringComparison.Ordinal)));
        await ProblemAssert.StatusAsync(await fx.Api.CreateClient().GetAsync($"/admin/media/{mediaId}"), 401);
    }

    [Fact]
    public async Task VoiceNote_TranscriptIsWhatRulesSee_AndIsKeptOnTheMediaRow()
    {
        var note = await VoiceNotes.SpeakAsync("menu");
        Assert.True(SpeechToTextStub.IsOggOpus(note));
        var mediaId = fx.Graph.Media.Add(note, VoiceNotes.MimeType);
        var from = NewContact("1581");
        var admin = fx.Api.CreateAdminClient();
        var agentId = await Db.ScalarAsync<long>("INSERT INTO agents (name, fallback_reply) VALUES ('voice', 'voice fallback') RETURNING id");
        await admin.PostAsync($"/admin/bind/{from}/{agentId}", null);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/admin/rules",
            new { agent_id = agentId, keywords = new[] { "menu" }, reply_text = "You said: {text}" })).StatusCode);

        fx.Speech.Transcript = "Menu.";
        await PostAsync(MediaMessage(from, Webhooks.NewWamid(), "audio", mediaId, VoiceNotes.MimeType, note, ""","voice":true"""));
        await fx.DrainAsync();

        Assert.Equal("You said: Menu.", Assert.Single(fx.Graph.Messages, m => m.To == from).TextBody);
        Assert.Equal("Menu.", await Db.ScalarAsync<string>("SELECT transcript FROM media WHERE media_id = $1", mediaId));
        Assert.Contains(fx.Speech.Requests, r => r.FileName.EndsWith(".ogg", StringComparison.Ordinal) && r.Bytes == note.Length);
    }

    [Fact]
    public async Task VoiceNote_GetsTheFallbackReply_WhenTranscriptionFails_AndWhenTheDailyCapIsReached()
    {
        var note = await VoiceNotes.SpeakAsync("hello");
        var from = NewContact("1582");
        async Task<string?> SendAsync()
        {
            var mediaId = fx.Graph.Media.Add(note, VoiceNotes.MimeType);
            await PostAsync(MediaMessage(from, Webhooks.NewWamid(), "audio", mediaId, VoiceNotes.MimeType, note, ""","voice":true"""));
            await fx.DrainAsync();
            return fx.Graph.Messages.Where(m => m.To == from).Last().TextBody;
        }
        var fallback = fx.Api.Get<TranscriptionSettings>().FallbackReply;

        fx.Speech.Transcript = null; // the endpoint answers 500
        Assert.Equal(fallback, await SendAsync());
        fx.Speech.Transcript = "hello";
        for (var i = 0; i < MediaApiFixture.DailyTranscriptions; i++) Assert.NotEqual(fallback, await SendAsync());
        var heard = fx.Speech.Requests.Count;
        Assert.Equal(fallback, await SendAsync()); // over the cap: the endpoint is not called
        Assert.Equal(heard, fx.Speech.Requests.Count);
    }

    [Fact]
    public async Task Media_OverTheSizeLimitOrOfATypeNotAllowed_IsRejectedWithoutDownload_AndTheMessageIsStillAnswered()
    {
        var big = fx.Graph.Media.Add(new byte[MediaApiFixture.MaxBytes + 1], "video/mp4");
        var exe = fx.Graph.Media.Add([0x4d, 0x5a, 0x90, 0x00], "application/x-msdownload");
        var from = NewContact("1583");
        await PostAsync(MediaMessage(from, Webhooks.NewWamid(), "video", big, "video/mp4", new byte[MediaApiFixture.MaxBytes + 1]));
        await PostAsync(MediaMessage(from, Webhooks.NewWamid(), "document", exe, "application/x-msdownload", [0x4d, 0x5a, 0x90, 0x00], ""","filename":"setup.exe" """));
        await fx.DrainAsync();

        Assert.Equal(["rejected", "rejected"], [await StatusAsync(big), await StatusAsync(exe)]);
        Assert.DoesNotContain(fx.Graph.Media.Calls, c => c == $"download:{big}" || c == $"download:{exe}");
        Assert.Equal(2, fx.Graph.Messages.Count(m => m.To == from));
        await ProblemAssert.StatusAsync(await fx.Api.CreateAdminClient().GetAsync($"/admin/media/{big}"), 409);
        await ProblemAssert.StatusAsync(await fx.Api.CreateAdminClient().GetAsync("/admin/media/424242"), 404);
    }

    [Fact]
    public async Task Download_ThatFails_StaysPendingWithItsError_ThenStoresOnRetry_AndEndsFailedOnTheLastAttempt()
    {
        var downloader = fx.Api.Get<MediaDownloader>();
        var bytes = RandomNumberGenerator(1000);
        var from = NewContact("1584");
        MediaRef Ref(string id) => new(id, Webhooks.NewWamid(), from, Webhooks.PhoneNumberId, "document", "application/pdf", null, null, "a.pdf", false);
        var retried = Ref(fx.Graph.Media.Add(bytes, "application/pdf"));

        fx.Graph.Media.FailNextDownloads(1);
        await Assert.ThrowsAsync<MediaFetchException>(() => downloader.FetchAsync(retried, lastAttempt: false, CancellationToken.None));
        Assert.Equal("pending|1", await Db.ScalarAsync<string>("SELECT status || '|' || attempts FROM media WHERE media_id = $1", retried.MediaId));
        Assert.Equal(MediaStatus.Stored, (await downloader.FetchAsync(retried, lastAttempt: false, CancellationToken.None)).Status);

        var lost = Ref(fx.Graph.Media.Add(bytes, "application/pdf"));
        fx.Graph.Media.FailNextDownloads(1);
        var failed = await downloader.FetchAsync(lost, lastAttempt: true, CancellationToken.None);
        Assert.Equal((MediaStatus.Failed, true), (failed.Status, failed.Error?.Contains("500", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task UploadedFile_IsSentByRules_UploadedToGraphOnce_AndItsGraphIdReused()
    {
        var admin = fx.Api.CreateAdminClient();
        var pdf = "%PDF-1.4 price list"u8.ToArray();
        var upload = await admin.PostAsync("/admin/media?filename=prices.pdf", new ByteArrayContent(pdf) { Headers = { ContentType = new("application/pdf") } });
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var file = (await upload.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["media_id"]!.GetValue<string>();
        var from = NewContact("1585");
        var agentId = await Db.ScalarAsync<long>("INSERT INTO agents (name, fallback_reply) VALUES ('files', 'files fallback') RETURNING id");
        await admin.PostAsync($"/admin/bind/{from}/{agentId}", null);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/admin/rules", new
        {
            agent_id = agentId, keywords = new[] { "prices" }, action = "reply_media", media = new { type = "document", file, filename = "prices.pdf" },
        })).StatusCode);

        var uploadsBefore = fx.Graph.Media.Uploads;
        for (var i = 0; i < 2; i++)
        {
            await PostAsync(Webhooks.Text(from, Webhooks.NewWamid(), "prices please"));
            await fx.DrainAsync();
        }

        var sent = fx.Graph.Messages.Where(m => m.To == from).ToList();
        Assert.Equal(2, sent.Count);
        var graphId = sent[0].Body["document"]!["id"]!.GetValue<string>();
        Assert.Equal(graphId, sent[1].Body["document"]!["id"]!.GetValue<string>());
        Assert.Equal(uploadsBefore + 1, fx.Graph.Media.Uploads);
        Assert.Equal(pdf, await (await admin.GetAsync($"/admin/media/{file}")).Content.ReadAsByteArrayAsync());
        await ProblemAssert.FieldErrorAsync(await admin.PostAsync("/admin/media",
            new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("application/x-msdownload") } }), "content_type");
        await ProblemAssert.StatusAsync(await admin.PostAsync("/admin/media",
            new ByteArrayContent(new byte[MediaApiFixture.MaxBytes + 1]) { Headers = { ContentType = new("application/pdf") } }), 413);
    }

    private Task<string> StatusAsync(string mediaId) => Db.ScalarAsync<string>("SELECT status FROM media WHERE media_id = $1", mediaId);

    private static byte[] RandomNumberGenerator(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
}
