using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Core.Queue;
using MicAi.Tests.Admin;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.Platform;

namespace MicAi.Tests.Operators;

/// <summary>GET /admin/attention and resolving sends whose outcome is unknown (never automatically).</summary>
public sealed class AttentionTests
{
    private static async Task<string> UnknownSendAsync(PlatformHarness h, string to, string minutesAgo = "20")
    {
        var key = $"reply:wamid.UNKNOWN{Guid.NewGuid():N}";
        await Sql.ExecuteAsync(h.Db, """
            INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status, attempts, author, error_text, updated_at)
            VALUES ($1, $2, 'text', 'did this arrive?', 'unknown', 1, 'rule', 'no response', now() - make_interval(mins => $3::int))
            """, key, to, minutesAgo);
        return key;
    }

    [Fact]
    public async Task Attention_ListsUnknownFailedDeadAndUnanswered_ButNotAFreshUnknownSend()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");
        var old = await UnknownSendAsync(h, from);
        var fresh = await UnknownSendAsync(h, from, minutesAgo: "1");
        await Sql.ExecuteAsync(h.Db, "INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status, error_code) VALUES ($1, $2, 'text', 'x', 'failed', 131026)", $"test:{from}:failed", from);
        await h.Api.Get<DeadJobStore>().AddAsync(Job.New(JobTypes.Send, $"test:{from}:dead", DateTimeOffset.UtcNow), "boom", CancellationToken.None);
        var waiting = PlatformHarness.NewContact(); // wrote 5 minutes ago; the job was lost and the sweeper has not run yet
        await Sql.ExecuteAsync(h.Db, "INSERT INTO inbound_messages (wamid, wa_id, type, text, payload, status, received_at) VALUES ($1, $2, 'text', 'hello?', '{}', 'received', now() - interval '5 minutes')", Webhooks.NewWamid(), waiting);

        var attention = await h.AttentionAsync();

        Assert.Equal([old], Keys(attention["unknown_sends"]!));
        Assert.DoesNotContain(fresh, Keys(attention["unknown_sends"]!));
        Assert.Contains($"test:{from}:failed", Keys(attention["failed_sends"]!));
        Assert.Contains(attention["dead_jobs"]!.AsArray(), d => d!["key"]!.GetValue<string>() == $"test:{from}:dead");
        var unanswered = Assert.Single(attention["unanswered"]!.AsArray())!;
        Assert.Equal((waiting, "hello?"), (unanswered["wa_id"]!.GetValue<string>(), unanswered["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task UnknownSend_MarkedFailedByTheOperator_LeavesTheAttentionList_AndIsNeverSent()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");
        var key = await UnknownSendAsync(h, from);

        var resolved = await h.Admin().PostAsJsonAsync($"/admin/outbound/messages/{Uri.EscapeDataString(key)}/resolve", new { action = "mark_failed" });
        await h.DrainAsync();

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal("failed", (await resolved.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        Assert.DoesNotContain(key, Keys((await h.AttentionAsync())["unknown_sends"]!));
        Assert.DoesNotContain("did this arrive?", h.TextsTo(from));
        await ProblemAssert.StatusAsync(await h.Admin().PostAsJsonAsync($"/admin/outbound/messages/{Uri.EscapeDataString(key)}/resolve", new { action = "mark_failed" }), 409);
    }

    [Fact]
    public async Task UnknownSend_ResentExplicitly_GoesOutOnceUnderANewKeyLinkedToTheOldRow()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");
        var key = await UnknownSendAsync(h, from);
        var path = $"/admin/outbound/messages/{Uri.EscapeDataString(key)}/resolve";

        var resent = await h.Admin().PostAsJsonAsync(path, new { action = "resend" });
        var again = await h.Admin().PostAsJsonAsync(path, new { action = "resend" });
        await h.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var row = (await resent.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("resend:" + key, row["idempotency_key"]!.GetValue<string>());
        Assert.Equal(key, row["resend_of"]!.GetValue<string>());
        Assert.Single(h.TextsTo(from), "did this arrive?");
        Assert.Equal("unknown", await h.Db.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE idempotency_key = $1", key));
        Assert.DoesNotContain(key, Keys((await h.AttentionAsync())["unknown_sends"]!));
        await ProblemAssert.StatusAsync(await h.Admin().PostAsJsonAsync("/admin/outbound/messages/nope/resolve", new { action = "resend" }), 404);
        await ProblemAssert.FieldErrorAsync(await h.Admin().PostAsJsonAsync(path, new { action = "retry" }), "action");
    }

    private static string[] Keys(JsonNode list) => [.. list.AsArray().Select(i => i!["idempotency_key"]!.GetValue<string>())];
}
