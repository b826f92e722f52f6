using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MicAi.Tests.Admin;

public sealed class OutboundAdminTests(AdminResourceFixture fx) : IClassFixture<AdminResourceFixture>
{
    [Fact]
    public async Task Outbound_FiltersByStatusAndRecipient_AndPages()
    {
        var to = "3519" + Random.Shared.Next(10000000, 99999999);
        for (var i = 0; i < 3; i++)
            await Infrastructure.Sql.ExecuteAsync(fx.Db, "INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status, created_at) VALUES ($1, $2, 'text', $3, 'sent', now() - make_interval(mins => $4))",
                $"test:{to}:{i}", to, $"body {i}", 10 - i);
        await Infrastructure.Sql.ExecuteAsync(fx.Db, "INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status) VALUES ($1, $2, 'text', 'nope', 'failed')", $"test:{to}:f", to);

        var sent = (await fx.Admin().GetFromJsonAsync<JsonObject>($"/admin/outbound/messages?wa_id={to}&status=sent&limit=2"))!;
        Assert.Equal(new[] { "body 2", "body 1" }, sent["items"]!.AsArray().Select(o => o!["body"]!.GetValue<string>()));
        Assert.Equal(2, sent["next_offset"]!.GetValue<int>());
        var rest = (await fx.Admin().GetFromJsonAsync<JsonObject>($"/admin/outbound/messages?wa_id={to}&status=sent&limit=2&offset=2"))!;
        Assert.Equal("body 0", Assert.Single(rest["items"]!.AsArray())!["body"]!.GetValue<string>());
        var failed = (await fx.Admin().GetFromJsonAsync<JsonObject>($"/admin/outbound/messages?wa_id={to}&status=failed"))!;
        Assert.Equal($"test:{to}:f", Assert.Single(failed["items"]!.AsArray())!["idempotency_key"]!.GetValue<string>());

        await ProblemAssert.FieldErrorAsync(await fx.Admin().GetAsync("/admin/outbound/messages?status=lost"), "status");
    }

    [Fact]
    public async Task Outbound_FindsTheRowByTheWamidMetaGaveIt()
    {
        var wamid = "wamid.CONSOLE" + Guid.NewGuid().ToString("N");
        await Infrastructure.Sql.ExecuteAsync(fx.Db, "INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status, provider_message_id) VALUES ($1, '15550002222', 'text', 'found me', 'sent', $2)",
            "test:" + wamid, wamid);
        await Infrastructure.Sql.ExecuteAsync(fx.Db, "INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status, provider_message_id) VALUES ($1, '15550002222', 'text', 'not me', 'sent', $2)",
            "test:other" + wamid, wamid + "X");

        var found = (await fx.Admin().GetFromJsonAsync<JsonObject>($"/admin/outbound/messages?wamid={wamid}"))!;

        Assert.Equal("found me", Assert.Single(found["items"]!.AsArray())!["body"]!.GetValue<string>());
    }
}
