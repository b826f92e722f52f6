using System.Text;
using MicAi.Core.WhatsApp;

namespace MicAi.Tests.WhatsApp;

public class WebhookParserTests
{
    public static TheoryData<string> Webhooks => MetaFixtures.WebhookRows();

    private static WebhookBatch ParseFixture(string file)
    {
        var result = WebhookParser.Parse(MetaFixtures.Bytes(file));
        Assert.True(result.IsValid, result.Error);
        return result.Batch!;
    }

    [Theory]
    [MemberData(nameof(Webhooks))]
    public void Parse_YieldsManifestMessageIdsAndStatuses(string file)
    {
        var entry = MetaFixtures.Entry(file);
        var expectedMessages = entry.GetProperty("messages").EnumerateArray().Select(e => e.GetString()).ToList();
        var expectedStatuses = entry.GetProperty("statuses").EnumerateArray()
            .Select(p => (p[0].GetString(), p[1].GetString())).ToList();

        var batch = ParseFixture(file);

        Assert.Equal(expectedMessages, batch.Messages.Select(m => m.Wamid));
        Assert.Equal(expectedStatuses, batch.Statuses.Select(s => ((string?)s.ProviderMessageId, (string?)s.Status)));
        Assert.Equal(0, batch.Skipped);
        Assert.All(batch.Messages, m => Assert.Equal("106540352242922", m.PhoneNumberId));
        Assert.All(batch.Messages, m => Assert.InRange(m.Timestamp!.Value.ToUnixTimeSeconds(), 1768212000, 1768213000));
    }

    [Fact]
    public void Parse_MatchesContactsByWaIdNotIndex_InBatchedDelivery()
    {
        var batch = ParseFixture("webhooks/batched_2_entries_3_messages.json");

        Assert.Equal(
            [("15550002222", "Ana Souza", null), ("15550003333", "Bob Miller", "US.10293847561029384756"), ("15550005555", "Dana Levi", null)],
            batch.Messages.Select(m => (m.WaId, m.ProfileName, m.UserId)));
        Assert.Equal(["Order #5521 status?", "Cancel my order please", "Thanks!"], batch.Messages.Select(m => m.AgentText));
    }

    [Fact]
    public void Parse_MatchesSenderByWaId_WhenContactsAreReordered()
    {
        // Same batch with value.contacts swapped: names must follow wa_id, not position.
        var json = Encoding.UTF8.GetString(MetaFixtures.Bytes("webhooks/batched_2_entries_3_messages.json"))
            .Replace("\"Ana Souza\"", "\"TMP\"").Replace("\"15550002222\"", "\"TMPID\"")
            .Replace("\"Bob Miller\"", "\"Ana Souza\"").Replace("\"15550003333\"", "\"15550002222\"")
            .Replace("\"TMP\"", "\"Bob Miller\"").Replace("\"TMPID\"", "\"15550003333\"");

        var batch = WebhookParser.Parse(Encoding.UTF8.GetBytes(json)).Batch!;

        Assert.Equal(["Bob Miller", "Ana Souza", "Dana Levi"], batch.Messages.Select(m => m.ProfileName));
        Assert.Equal("15550003333", batch.Messages[0].WaId);
    }

    [Fact]
    public void Parse_UsesBusinessScopedUserId_WhenPhoneIsHidden()
    {
        var m = Assert.Single(ParseFixture("webhooks/text_username_user_no_phone.json").Messages);

        Assert.Null(m.Phone);
        Assert.Equal("US.13849205716630281947", m.UserId);
        Assert.Equal("US.13849205716630281947", m.WaId);
        Assert.Equal("Eli Park", m.ProfileName);
        Assert.Equal("Hello, I found you via your username", m.AgentText);
        Assert.True(m.Answerable);
    }

    [Fact]
    public void Parse_DecodesNonAsciiExactly_AndEscapedEqualsUtf8()
    {
        var expected = MetaFixtures.Entry("webhooks/text_non_ascii_utf8.json").GetProperty("expected_text_body").GetString();
        var utf8 = Assert.Single(ParseFixture("webhooks/text_non_ascii_utf8.json").Messages);
        var escaped = Assert.Single(ParseFixture("webhooks/text_non_ascii_meta_escaped.json").Messages);

        Assert.Equal(expected, utf8.AgentText);
        Assert.Equal(expected, escaped.AgentText);
        Assert.Equal(utf8.Wamid, escaped.Wamid);
        Assert.Equal("Zoë Ñúñez", utf8.ProfileName);
        Assert.Equal("Zoë Ñúñez", escaped.ProfileName);
    }

    [Fact]
    public void Parse_KeepsRawMessageJson_AndTimestamp()
    {
        var m = Assert.Single(ParseFixture("webhooks/text_simple.json").Messages);

        Assert.StartsWith("{", m.Json);
        Assert.Contains("\"Hi! Do you have the blue kettle in stock?\"", m.Json);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1768212010), m.Timestamp);
        Assert.Equal("text", m.Type);
        Assert.Equal("15550002222", m.Phone);
        Assert.Null(m.ContextMessageId);
    }

    [Fact]
    public void Parse_LinksReplyContext_ButNotForwardedContext()
    {
        var reply = Assert.Single(ParseFixture("webhooks/text_reply_with_context.json").Messages);
        var forwarded = Assert.Single(ParseFixture("webhooks/text_forwarded.json").Messages);

        Assert.Equal(MetaFixtures.OutboundId("OUT_TEXT_ANA"), reply.ContextMessageId);
        Assert.Null(forwarded.ContextMessageId);
        Assert.True(forwarded.Answerable);
    }

    [Fact]
    public void Parse_DoesNotCrash_WhenReactionEmojiIsMissing()
    {
        var m = Assert.Single(ParseFixture("webhooks/reaction_removed.json").Messages);

        Assert.Equal("reaction", m.Type);
        Assert.Null(m.AgentText);
        Assert.False(m.Answerable);
    }

    [Fact]
    public void Parse_ReturnsEmptyBatch_ForNonMessagesField()
    {
        var batch = ParseFixture("webhooks/non_messages_field_template_status.json");

        Assert.Empty(batch.Messages);
        Assert.Empty(batch.Statuses);
        Assert.Empty(batch.Errors);
    }

    [Fact]
    public void Parse_ReadsStatusDetails_IncludingFailureAndCallbackData()
    {
        var sent = Assert.Single(ParseFixture("webhooks/status_sent.json").Statuses);
        var failed = Assert.Single(ParseFixture("webhooks/status_failed_131026.json").Statuses);
        var played = Assert.Single(ParseFixture("webhooks/status_played.json").Statuses);

        Assert.Equal(("sent", "15550002222", "ticket=T-1042;attempt=1"), (sent.Status, sent.RecipientId, sent.CallbackData));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1768212302), sent.Timestamp);
        Assert.Null(sent.ErrorCode);
        Assert.Equal(("failed", 131026, "Message undeliverable"), (failed.Status, failed.ErrorCode, failed.ErrorTitle));
        Assert.Equal("played", played.Status);
    }

    [Fact]
    public void Parse_CollectsValueAndMessageErrors()
    {
        var valueErrors = ParseFixture("webhooks/value_errors_only.json");
        var unsupported = ParseFixture("webhooks/unsupported_with_errors.json");

        var e = Assert.Single(valueErrors.Errors);
        Assert.Equal((130429, "Rate limit hit"), (e.Code, e.Title));
        Assert.StartsWith("Message failed to send", e.Details);
        var u = Assert.Single(unsupported.Errors);
        Assert.Equal((131051, "Message type is currently not supported."), (u.Code, u.Details));
        Assert.False(Assert.Single(unsupported.Messages).Answerable);
    }

    [Fact]
    public void Parse_KeepsStatusDeliveredContacts_OutOfMessages()
    {
        var batch = ParseFixture("webhooks/status_delivered.json");

        Assert.Empty(batch.Messages);
        Assert.Equal("ticket=T-1042;attempt=1", Assert.Single(batch.Statuses).CallbackData);
    }
}
