using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace MicAi.Tests.Outbox;

/// <summary>The 24-hour window, checked when the send runs: free-form inside, a template or nothing outside.</summary>
public sealed class WindowGateTests
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);

    private static OutboundDraft Text(string to, string? template = null) =>
        new($"test:{Guid.NewGuid():N}", to, Webhooks.PhoneNumberId, "text", "your order shipped", TemplateName: template,
            TemplateParams: template is null ? null : ["A-1042"]);

    [Fact]
    public async Task FreeForm_IsSent_InsideTheWindow()
    {
        await using var host = await OutboxHost.StartAsync(time: time);
        var to = OutboxHost.NewRecipient();
        await host.AddContactAsync(to, TimeSpan.FromHours(23));
        var key = await host.QueueSendAsync(Text(to));

        await host.DrainAsync();

        Assert.Equal("your order shipped", Assert.Single(host.Graph.Messages).TextBody);
        Assert.Equal(("sent", "text"), ((await host.RowAsync(key)).Status, (await host.RowAsync(key)).Kind));
    }

    [Fact]
    public async Task Send_IsSkippedWithReason_AndNoCallIsMade_WhenOutsideTheWindowWithoutTemplate()
    {
        await using var host = await OutboxHost.StartAsync(time: time);
        var (lapsed, stranger) = (OutboxHost.NewRecipient(), OutboxHost.NewRecipient());
        await host.AddContactAsync(lapsed, TimeSpan.FromHours(25));
        var lapsedKey = await host.QueueSendAsync(Text(lapsed));
        var strangerKey = await host.QueueSendAsync(Text(stranger)); // never wrote to us at all

        await host.DrainAsync();

        Assert.Empty(host.Graph.Requests);
        foreach (var key in new[] { lapsedKey, strangerKey })
        {
            var row = await host.RowAsync(key);
            Assert.Equal("skipped", row.Status);
            Assert.Contains("outside the 24h window", row.ErrorText);
        }
    }

    [Fact]
    public async Task ConfiguredTemplate_IsSent_OutsideTheWindow()
    {
        await using var host = await OutboxHost.StartAsync(s =>
        {
            s[OutboundSettings.Keys.OutOfWindowTemplate] = "follow_up";
            s[OutboundSettings.Keys.TemplateLanguage] = "pt_BR";
        }, time);
        var to = OutboxHost.NewRecipient();
        await host.AddContactAsync(to, TimeSpan.FromHours(25));
        var key = await host.QueueSendAsync(Text(to));

        await host.DrainAsync();

        var sent = Assert.Single(host.Graph.Messages);
        Assert.Equal("template", sent.Type);
        Assert.Equal("follow_up", sent.Body["template"]!["name"]!.GetValue<string>());
        Assert.Equal("pt_BR", sent.Body["template"]!["language"]!["code"]!.GetValue<string>());
        Assert.Null(sent.Body["text"]);
        var row = await host.RowAsync(key);
        Assert.Equal(("sent", "template", "follow_up"), (row.Status, row.Kind, row.TemplateName));
    }

    [Fact]
    public async Task RowsOwnTemplate_WinsOverTheConfiguredOne_OutsideTheWindow()
    {
        await using var host = await OutboxHost.StartAsync(s => s[OutboundSettings.Keys.OutOfWindowTemplate] = "follow_up", time);
        var to = OutboxHost.NewRecipient();
        await host.AddContactAsync(to, TimeSpan.FromDays(3));
        await host.QueueSendAsync(Text(to, template: "order_shipped"));

        await host.DrainAsync();

        var template = Assert.Single(host.Graph.Messages).Body["template"]!;
        Assert.Equal("order_shipped", template["name"]!.GetValue<string>());
        Assert.Equal("en_US", template["language"]!["code"]!.GetValue<string>());
        Assert.Equal("A-1042", template["components"]![0]!["parameters"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Window_IsCheckedWhenTheSendRuns_NotWhenItWasQueued()
    {
        await using var host = await OutboxHost.StartAsync(time: time);
        var to = OutboxHost.NewRecipient();
        await host.AddContactAsync(to, TimeSpan.FromHours(20));
        var key = await host.QueueSendAsync(Text(to)); // inside the window now …

        time.Advance(TimeSpan.FromHours(5));           // … but the worker gets to it 25 h after the last message
        await host.DrainAsync();

        Assert.Empty(host.Graph.Requests);
        Assert.Equal("skipped", (await host.RowAsync(key)).Status);
    }

    [Fact]
    public async Task WindowLength_FollowsFreeformWindowHours()
    {
        await using var host = await OutboxHost.StartAsync(s => s[OutboundSettings.Keys.FreeformWindowHours] = "2", time);
        var (recent, older) = (OutboxHost.NewRecipient(), OutboxHost.NewRecipient());
        await host.AddContactAsync(recent, TimeSpan.FromMinutes(90));
        await host.AddContactAsync(older, TimeSpan.FromMinutes(150));
        await host.QueueSendAsync(Text(recent));
        var olderKey = await host.QueueSendAsync(Text(older));

        await host.DrainAsync();

        Assert.Equal(recent, Assert.Single(host.Graph.Messages).To);
        Assert.Equal("skipped", (await host.RowAsync(olderKey)).Status);
    }
}
