using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MicAi.Core.Simulator;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Simulator;

/// <summary>
/// What the Graph stand-in accepts: MicAi's own request bodies (CloudApiRequests) and the shared fixtures, answered in
/// Cloud API's response shape, shown as bubbles, followed by status webhooks that MicAi accepts.
/// </summary>
public sealed class GraphStandInSendTests(SimulatorApiFixture fixture) : IClassFixture<SimulatorApiFixture>
{
    private static string NewPhone() => "1555" + Random.Shared.Next(1_000_000, 9_999_999);

    private async Task<(HttpStatusCode, JsonObject)> SendAsync(byte[] body)
    {
        using var http = fixture.GraphClient();
        var response = await http.PostAsync(SimulatorApiFixture.MessagesPath, new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>A customer who wrote a moment ago (the 24-hour window is open), added as the page would.</summary>
    private async Task<string> CustomerWhoWroteAsync()
    {
        using var page = fixture.Client();
        var phone = NewPhone();
        (await page.PostAsJsonAsync("/simulator/api/customers", new { phone, name = "Ana" })).EnsureSuccessStatusCode();
        var sent = await page.PostAsJsonAsync($"/simulator/api/customers/{phone}/messages", new { text = "michael: hello" });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        return phone;
    }

    private async Task<SimMessage> WaitForBubbleAsync(string wamid, Func<SimMessage, bool> done)
    {
        var store = fixture.Api.Get<SimulatorStore>();
        for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until; await Task.Delay(50))
            if (store.Find(wamid) is { } m && done(m)) return m;
        Assert.Fail($"bubble {wamid} never reached the expected state: {store.Find(wamid)}");
        return null!;
    }

    [Fact]
    public async Task GraphStandIn_AcceptsMicAisTextRequest_AnswersWithAWamid_AndShowsTheBubbleDelivered()
    {
        var phone = await CustomerWhoWroteAsync();

        var (status, body) = await SendAsync(CloudApiRequests.Text(phone, "Hi Ana!", callbackData: "reply:test-1"));

        Assert.Equal(HttpStatusCode.OK, status);
        var sent = GraphResponses.ParseSend(Encoding.UTF8.GetBytes(body.ToJsonString()));
        Assert.NotNull(sent);
        Assert.StartsWith("wamid.", sent.MessageId);
        Assert.Equal(phone, body["contacts"]![0]!["wa_id"]!.GetValue<string>());
        var bubble = await WaitForBubbleAsync(sent.MessageId, m => m.Status == "delivered");
        Assert.Equal("Hi Ana!", bubble.Text);
        Assert.Equal("reply:test-1", bubble.CallbackData);
        Assert.Null(bubble.Error); // MicAi accepted the signed sent and delivered webhooks
    }

    [Theory]
    [InlineData("send_text.json")]
    [InlineData("send_text_reply_with_context.json")]
    [InlineData("send_template.json")]
    public async Task GraphStandIn_AcceptsTheSharedFixtureRequest(string file)
    {
        var body = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "meta", "graph", "requests", file));

        var (status, response) = await SendAsync(body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("whatsapp", response["messaging_product"]!.GetValue<string>());
        Assert.StartsWith("wamid.", response["messages"]![0]!["id"]!.GetValue<string>());
        if (file == "send_template.json") Assert.Equal("accepted", response["messages"]![0]!["message_status"]!.GetValue<string>());
    }

    [Fact]
    public async Task GraphStandIn_AnswersABusinessScopedUserId_WithUserIdInContacts()
    {
        var (status, response) = await SendAsync(CloudApiRequests.Template("US.13849205716630281947", "hello_world", "en_US"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("US.13849205716630281947", response["contacts"]![0]!["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task GraphStandIn_FailsAFreeFormSendWith131047_WhenTheCustomerHasNotWrittenWithin24Hours()
    {
        var (status, response) = await SendAsync(CloudApiRequests.Text(NewPhone(), "Out of the blue"));

        Assert.Equal(HttpStatusCode.OK, status); // Graph accepts it; the failure comes as a status webhook
        var bubble = await WaitForBubbleAsync(response["messages"]![0]!["id"]!.GetValue<string>(), m => m.Status == "failed");
        Assert.Equal("Re-engagement message", bubble.Error);
    }

    [Fact]
    public async Task GraphStandIn_ShowsInteractiveReplyButtons_AsChoicesInTheBubble()
    {
        var phone = await CustomerWhoWroteAsync();
        var body = $$$$"""
            {"messaging_product":"whatsapp","to":"{{{{phone}}}}","type":"interactive","interactive":{"type":"button",
             "body":{"text":"Which size?"},"footer":{"text":"Tap one"},
             "action":{"buttons":[{"type":"reply","reply":{"id":"size-s","title":"Small"}},{"type":"reply","reply":{"id":"size-l","title":"Large"}}]}}}
            """;

        var (status, response) = await SendAsync(Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.OK, status);
        var bubble = fixture.Api.Get<SimulatorStore>().Find(response["messages"]![0]!["id"]!.GetValue<string>())!;
        Assert.Equal("button_reply", bubble.ChoiceKind);
        Assert.Equal(["Small", "Large"], bubble.Choices!.Select(c => c.Title));
        Assert.Equal("Tap one", bubble.Footer);
    }

    [Fact]
    public async Task GraphStandIn_MarksTheCustomersMessageRead_AndShowsTyping_OnMicAisMarkReadRequest()
    {
        var phone = await CustomerWhoWroteAsync();
        var store = fixture.Api.Get<SimulatorStore>();
        var inbound = store.Conversation(phone)!.Messages.Single(m => m.FromCustomer);

        var (status, response) = await SendAsync(CloudApiRequests.MarkRead(inbound.Wamid, typingIndicator: true));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(response["success"]!.GetValue<bool>());
        var conversation = store.Conversation(phone)!;
        Assert.Equal("read", conversation.Messages.Single(m => m.Wamid == inbound.Wamid).Status);
        Assert.True(conversation.Typing);
    }
}
