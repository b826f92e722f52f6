using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.Platform;

namespace MicAi.Tests.Agents;

/// <summary>Opt-out through the worker: exactly one confirmation, and the flag holds across re-runs.</summary>
public sealed class OptOutTests
{
    private static async Task RerunAsync(PlatformHarness h, string wamid)
    {
        await h.Api.Get<JobStream>().EnqueueAsync([Job.New(JobTypes.Inbound, wamid, DateTimeOffset.UtcNow)]);
        await h.DrainAsync();
    }

    [Fact]
    public async Task Stop_IsConfirmedOnce_AndTheFlagIsSetAgain_WhenTheJobRunsAfterACrash()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        var wamid = Webhooks.NewWamid();
        await h.Api.CreateClient().SendAsync(Webhooks.Post(Webhooks.Text(from, wamid, "unsubscribe")));
        await h.DrainAsync();
        Assert.True(await h.Db.ScalarAsync<bool>("SELECT opted_out FROM contacts WHERE wa_id = $1", from));

        // As if the worker died after the send but before the flag: the re-run sets it, and sends nothing new.
        await h.Db.ExecuteAsync("UPDATE contacts SET opted_out = false WHERE wa_id = $1", from);
        await RerunAsync(h, wamid);

        Assert.True(await h.Db.ScalarAsync<bool>("SELECT opted_out FROM contacts WHERE wa_id = $1", from));
        Assert.Single(h.TextsTo(from));
        Assert.Equal("opt_out", await h.Db.ScalarAsync<string>("SELECT responder FROM conversation_turns WHERE inbound_wamid = $1", wamid));
    }

    [Fact]
    public async Task OptedOutContact_ByTheAdminApi_GetsNoReplies_ButCanStillStart()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.Admin().PutAsync($"/admin/contacts/{from}", System.Net.Http.Json.JsonContent.Create(new { opted_out = true }));

        await h.SayAsync(from, "michael: hello");
        await h.SayAsync(from, "STOP");
        Assert.Empty(h.TextsTo(from));

        await h.SayAsync(from, "michael: start");
        Assert.StartsWith("Welcome back!", Assert.Single(h.TextsTo(from)));
        Assert.False(await h.Db.ScalarAsync<bool>("SELECT opted_out FROM contacts WHERE wa_id = $1", from));
    }

    [Fact]
    public async Task Reminder_IsCreatedOnce_WhenTheSameJobRunsTwice()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.CreateBoundAgentAsync(from, new { name = "r", allowed_tools = new[] { "remind" } });
        var wamid = Webhooks.NewWamid();
        await h.Api.CreateClient().SendAsync(Webhooks.Post(Webhooks.Text(from, wamid, "michael: remind me in 10 minutes to call mom")));
        await h.DrainAsync();
        await h.Db.ExecuteAsync("UPDATE inbound_messages SET status = 'queued' WHERE wamid = $1", wamid); // as if never completed
        await h.Db.ExecuteAsync("DELETE FROM conversation_turns WHERE inbound_wamid = $1", wamid);
        await RerunAsync(h, wamid);

        Assert.Equal(1L, await h.Db.ScalarAsync<long>("SELECT count(*) FROM schedules WHERE wa_id = $1 AND origin = 'remind'", from));
    }
}
