using System.Text.Json;
using MicAi.Core.Simulator;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Simulator;

/// <summary>The simulator's webhook bodies are Meta's shapes: MicAi's own parser reads them as it reads the fixtures.</summary>
public sealed class MetaWebhooksTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_768_212_010);

    private static SimMessage Text(string customerId, string text) =>
        new(1, customerId, true, MetaWebhooks.NewWamid(), "text", text, At, "sending");

    [Fact]
    public void CustomerMessage_FromAPhoneCustomer_ParsesAsATextFromThatWaId()
    {
        var ana = new SimCustomer("15550002222", "Ana", "15550002222", null, null, "US");
        var message = Text(ana.Id, "michael: hello ✓ 😀");

        var batch = WebhookParser.Parse(MetaWebhooks.CustomerMessage(Webhooks.PhoneNumberId, ana, message)).Batch!;

        var parsed = Assert.Single(batch.Messages);
        Assert.Equal((message.Wamid, "15550002222", "15550002222", "Ana", "text", Webhooks.PhoneNumberId), (parsed.Wamid, parsed.WaId, parsed.Phone, parsed.ProfileName, parsed.Type, parsed.PhoneNumberId));
        Assert.Equal("michael: hello ✓ 😀", parsed.AgentText);
        Assert.Equal(At, parsed.Timestamp);
    }

    [Fact]
    public void CustomerMessage_FromAUsernameOnlyCustomer_HasEmptyFromAndWaId_AndParsesToTheBusinessScopedUserId()
    {
        var eli = new SimCustomer("US.13849205716630281947", "Eli Park", null, "US.13849205716630281947", "@eli.park", "US");
        var body = MetaWebhooks.CustomerMessage(Webhooks.PhoneNumberId, eli, Text(eli.Id, "Hello"));

        using var doc = JsonDocument.Parse(body);
        var value = doc.RootElement.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value");
        Assert.Equal("", value.GetProperty("messages")[0].GetProperty("from").GetString());
        Assert.Equal(eli.UserId, value.GetProperty("messages")[0].GetProperty("from_user_id").GetString());
        Assert.Equal("", value.GetProperty("contacts")[0].GetProperty("wa_id").GetString());
        Assert.Equal("@eli.park", value.GetProperty("contacts")[0].GetProperty("profile").GetProperty("username").GetString());
        var parsed = Assert.Single(WebhookParser.Parse(body).Batch!.Messages);
        Assert.Equal((eli.UserId, null as string, eli.UserId), (parsed.WaId, parsed.Phone, parsed.UserId));
    }

    [Fact]
    public void CustomerTap_OnAReplyButton_ParsesAsAnInteractiveButtonReplyToTheBotsMessage()
    {
        var ana = new SimCustomer("15550002222", "Ana", "15550002222", null, null, "US");
        var tap = new SimMessage(1, ana.Id, true, MetaWebhooks.NewWamid(), "button_reply", "Large", At, "sending", ContextWamid: "wamid.BOT");

        var parsed = Assert.Single(WebhookParser.Parse(MetaWebhooks.CustomerMessage(Webhooks.PhoneNumberId, ana, tap, new SimChoice("size-l", "Large"))).Batch!.Messages);

        Assert.Equal("interactive", parsed.Type);
        Assert.Equal("wamid.BOT", parsed.ContextMessageId);
        Assert.Equal("size-l", parsed.ReplyId);
    }

    [Fact]
    public void Status_EchoesTheCallbackData_AndParsesAsAStatusOfTheBotsMessage()
    {
        var eli = new SimCustomer("US.1", "Eli", null, "US.1", "@eli", "US");
        var sent = new SimMessage(2, eli.Id, false, "wamid.OUT", "text", "hi", At, "delivered", CallbackData: "reply:wamid.IN");

        var status = Assert.Single(WebhookParser.Parse(MetaWebhooks.Status(Webhooks.PhoneNumberId, eli, sent, "read", At)).Batch!.Statuses);

        Assert.Equal(("wamid.OUT", "read", "US.1", "reply:wamid.IN"), (status.ProviderMessageId, status.Status, status.RecipientId, status.CallbackData));
    }
}
