using System.Net;
using System.Net.Http.Json;
using MicAi.Core.Agents;
using MicAi.Core.Configuration;
using MicAi.Core.Media;
using MicAi.Core.Storage;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.EndToEnd;

/// <summary>
/// Issue 18's journey with the published Host as three OS processes (api, worker, scheduler), the Graph stub speaking
/// Meta's media and message formats and the speech-to-text stub: a photo kept and served back byte for byte, a real
/// OGG/Opus voice note heard as "menu" and answered with a button menu, a tap answered by the rule for its id, and a
/// document reply.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RichMessagingEndToEndTests
{
    [Fact]
    public async Task Customer_SendsPhotoAndVoiceNote_TapsAButton_AndGetsADocument_AcrossThreeProcesses()
    {
        await using var graph = await GraphStub.StartAsync();
        await using var speech = await SpeechToTextStub.StartAsync();
        var env = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
        env[AgentSettings.Keys.RequireInvokePrefix] = "false";
        env[TranscriptionSettings.Keys.BaseUrl] = speech.BaseUrl;
        env[TranscriptionSettings.Keys.ApiKey] = SpeechToTextStub.ApiKey;
        env[TranscriptionSettings.Keys.Model] = SpeechToTextStub.Model;
        await using var api = await HostProcess.StartApiAsync(env);
        await using var worker = HostProcess.Start(["worker"], env);
        await using var scheduler = HostProcess.Start(["scheduler"], env);
        await using var db = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(env[StorageSettings.Keys.DatabaseUrl]!));
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        using var admin = new HttpClient { BaseAddress = api.BaseAddress };
        admin.DefaultRequestHeaders.Add("x-admin-key", MicAiApiFactory.AdminKey);
        string Logs() => $"worker:\n{worker.Output}\napi:\n{api.Output}";

        var menu = await admin.PostAsJsonAsync("/admin/rules", new
        {
            keywords = new[] { "menu" }, action = "reply_buttons", reply_text = "What would you like?", priority = 1,
            buttons = new[] { new { id = "menu-brochure", title = "Brochure" }, new { id = "menu-hours", title = "Opening hours" } },
        });
        Assert.Equal(HttpStatusCode.OK, menu.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/admin/rules", new
        {
            keywords = new[] { "menu-brochure" }, action = "reply_media", priority = 1,
            media = new { type = "document", link = "https://example.com/brochure.pdf", caption = "Our brochure", filename = "brochure.pdf" },
        })).StatusCode);

        var from = "1590" + Random.Shared.Next(1000000, 9999999);
        async Task<GraphRequest> ReplyAsync(int n)
        {
            await WaitUntilAsync(() => graph.Messages.Count(m => m.To == from) >= n, Logs);
            return graph.Messages.Where(m => m.To == from).ElementAt(n - 1);
        }

        // 1. A photo: kept and served back byte for byte.
        var photo = System.Security.Cryptography.RandomNumberGenerator.GetBytes(64_000);
        var photoId = graph.Media.Add(photo, "image/jpeg");
        await PostAsync(http, Webhooks.Message(from, Webhooks.NewWamid(), "image",
            $$"""{"mime_type":"image/jpeg","sha256":"{{GraphMediaStub.WebhookSha256(photo)}}","id":"{{photoId}}","caption":"the box"}"""));
        await ReplyAsync(1); // answered (the agent's fallback), so the worker has handled it
        var served = await admin.GetAsync($"/admin/media/{photoId}");
        Assert.Equal((HttpStatusCode.OK, "image/jpeg"), (served.StatusCode, served.Content.Headers.ContentType?.MediaType));
        Assert.Equal(photo, await served.Content.ReadAsByteArrayAsync());

        // 2. A voice note saying "menu" (real OGG/Opus): heard, answered with the button menu.
        var note = await VoiceNotes.SpeakAsync("menu");
        var noteId = graph.Media.Add(note, VoiceNotes.MimeType);
        speech.Transcript = "Menu.";
        await PostAsync(http, Webhooks.Message(from, Webhooks.NewWamid(), "audio",
            $$"""{"mime_type":"{{VoiceNotes.MimeType}}","sha256":"{{GraphMediaStub.WebhookSha256(note)}}","id":"{{noteId}}","voice":true}"""));
        var buttons = await ReplyAsync(2);
        Assert.Equal(("interactive", "menu-brochure"), (buttons.Type, buttons.Body["interactive"]!["action"]!["buttons"]![0]!["reply"]!["id"]!.GetValue<string>()));
        Assert.Equal(note.Length, Assert.Single(speech.Requests).Bytes);

        // 3. The tap: answered by the rule for that button's id, with 4. a document.
        await PostAsync(http, Webhooks.Tap(from, Webhooks.NewWamid(), "button_reply", "menu-brochure", "Brochure"));
        var document = await ReplyAsync(3);
        Assert.Equal(("document", "https://example.com/brochure.pdf", "brochure.pdf"),
            (document.Type, document.Body["document"]!["link"]!.GetValue<string>(), document.Body["document"]!["filename"]!.GetValue<string>()));

        await Task.Delay(500); // any duplicate would show itself now
        Assert.Equal(3, graph.Messages.Count(m => m.To == from));
        Assert.Equal("Menu.", await db.ScalarAsync<string>("SELECT transcript FROM media WHERE media_id = $1", noteId));
    }

    private static async Task PostAsync(HttpClient http, byte[] body) =>
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Webhooks.Post(body))).StatusCode);

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> explain)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("timed out: " + explain());
    }
}
