using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Admin;
using MicAi.Tests.Platform;

namespace MicAi.Tests.Operators;

/// <summary>POST /admin/schedules/{id}/run, and schedules' template parameters.</summary>
public sealed class ScheduleRunTests
{
    [Fact]
    public async Task ScheduleRun_SendsNowOnce_AndLeavesTheNextRunAsItWas()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");
        var created = await h.Admin().PostAsJsonAsync("/admin/schedules", new { wa_id = from, message_text = "Daily tip", cron = "0 9 * * *" });
        var schedule = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = schedule["id"]!.GetValue<long>();

        var run = await h.Admin().PostAsync($"/admin/schedules/{id}/run", null);
        await h.DrainAsync();

        Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
        Assert.StartsWith($"schedule:{id}:run:", (await run.Content.ReadFromJsonAsync<JsonObject>())!["idempotency_key"]!.GetValue<string>());
        Assert.Equal("Daily tip", h.TextsTo(from)[^1]);
        var after = (await h.Admin().GetFromJsonAsync<JsonObject>($"/admin/schedules/{id}"))!;
        Assert.Equal(schedule["next_run_at"]!.GetValue<DateTimeOffset>(), after["next_run_at"]!.GetValue<DateTimeOffset>());
        await ProblemAssert.StatusAsync(await h.Admin().PostAsync("/admin/schedules/999999/run", null), 404);
    }

    [Fact]
    public async Task Schedule_WithTemplateParams_SendsThemWhenTheWindowIsClosed()
    {
        await using var h = await PlatformHarness.StartAsync();
        var from = PlatformHarness.NewContact();
        await h.SayAsync(from, "michael: hi");
        var created = await h.Admin().PostAsJsonAsync("/admin/schedules", new
        {
            wa_id = from, message_text = "Your order ships today", interval_minutes = 60, template_name = "order_update",
            template_body_params = new[] { "Ana", "#5521" }, template_header_params = new[] { "Shipping" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["Ana", "#5521"], schedule["template_body_params"]!.AsArray().Select(p => p!.GetValue<string>()));

        Assert.Equal(1, await h.AdvanceAndTickAsync(TimeSpan.FromHours(25)));

        var sent = Assert.Single(h.Graph.Messages, m => m.To == from && m.Type == "template");
        var components = sent.Body["template"]!["components"]!.AsArray();
        Assert.Equal("Shipping", components[0]!["parameters"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(["Ana", "#5521"], components[1]!["parameters"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        await ProblemAssert.FieldErrorAsync(await h.Admin().PostAsJsonAsync("/admin/schedules", new
        {
            wa_id = from, message_text = "x", interval_minutes = 60, template_body_params = new[] { "a" },
        }), "template_body_params");
    }
}
