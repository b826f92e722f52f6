using System.Net;
using System.Net.Http.Json;
using System.Text;
using MicAi.Core.Http;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Admin;

/// <summary>
/// U+0000 cannot be stored: an admin input that carries it is a 400 before any statement runs (in a path, Kestrel
/// refuses it before routing).
/// </summary>
public sealed class UnstorableInputTests(AdminResourceFixture fx) : IClassFixture<AdminResourceFixture>
{
    [Fact]
    public async Task Admin_Refuses_UPlus0000_InAJsonString_OrAQueryValue_StoringNothing()
    {
        var admin = fx.Admin();
        var agents = await fx.Db.ScalarAsync<long>("SELECT count(*) FROM agents");

        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/agents", new { name = "nul\u0000agent" }), "body");
        await ProblemAssert.FieldErrorAsync(await admin.GetAsync("/admin/outbound?wa_id=1555%00"), "wa_id");

        Assert.Equal(agents, await fx.Db.ScalarAsync<long>("SELECT count(*) FROM agents"));
    }

    [Fact]
    public async Task Admin_Answers413_WhenAJsonBodyIsLargerThanItsLimit_AndStillAcceptsTheNextOne()
    {
        var admin = fx.Admin();
        var huge = new StringContent($"{{\"name\":\"{new string('a', JsonBody<Core.Agents.AgentInput>.MaxBytes)}\"}}", Encoding.UTF8, "application/json");

        await ProblemAssert.StatusAsync(await admin.PostAsync("/admin/agents", huge), 413);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/admin/agents", new { name = "after-413" })).StatusCode);
    }
}
