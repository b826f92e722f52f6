using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Admin;

public sealed class ScheduleAdminTests(AdminResourceFixture fx) : IClassFixture<AdminResourceFixture>
{
    private static DateTimeOffset[] Occurrences(JsonObject schedule) =>
        schedule["next_occurrences"]!.AsArray().Select(o => DateTimeOffset.Parse(o!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public async Task CronSchedule_InATimeZone_ListsTheNextFiveOccurrences_AcrossADstChange()
    {
        var created = await fx.Admin().PostAsJsonAsync("/admin/schedules", new
        {
            wa_id = "351911000001", message_text = "Bom dia!", cron = "0 9 * * *", time_zone = "Europe/Lisbon",
            template_name = "good_morning", template_language = "pt_PT",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = (await created.Content.ReadFromJsonAsync<JsonObject>())!;

        // 2026-03-28 10:00Z is after today's 09:00 WET; Lisbon moves to WEST (UTC+1) on 29 March.
        Assert.Equal(new[]
        {
            new DateTimeOffset(2026, 3, 29, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 30, 8, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 31, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 4, 2, 8, 0, 0, TimeSpan.Zero),
        }, Occurrences(schedule));
        Assert.Equal("good_morning", schedule["template_name"]!.GetValue<string>());
        var id = schedule["id"]!.GetValue<long>();
        Assert.Equal(new DateTime(2026, 3, 29, 8, 0, 0), await fx.Db.ScalarAsync<DateTime>("SELECT next_run_at FROM schedules WHERE id = $1", id));
    }

    [Fact]
    public async Task CronWithSeconds_AndIntervalSchedules_ComputeTheirOccurrences()
    {
        var seconds = (await (await fx.Admin().PostAsJsonAsync("/admin/schedules", new { wa_id = "351911000002", message_text = "tick", cron = "*/30 * * * * *" }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(Enumerable.Range(1, 5).Select(i => AdminResourceFixture.Start.AddSeconds(30 * i)), Occurrences(seconds));

        var interval = (await (await fx.Admin().PostAsJsonAsync("/admin/schedules", new { wa_id = "351911000002", message_text = "tip", interval_minutes = 90 }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(Enumerable.Range(1, 5).Select(i => AdminResourceFixture.Start.AddMinutes(90 * i)), Occurrences(interval));

        var oneOff = (await (await fx.Admin().PostAsJsonAsync("/admin/schedules", new { wa_id = "351911000002", message_text = "once", run_at = AdminResourceFixture.Start.AddHours(3) }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(oneOff["one_off"]!.GetValue<bool>());
        Assert.Equal(new[] { AdminResourceFixture.Start.AddHours(3) }, Occurrences(oneOff));
    }

    [Fact]
    public async Task Schedule_DisabledIsKept_ReplacedIdempotently_AndDeleted()
    {
        var admin = fx.Admin();
        var body = new { wa_id = "351911000003", message_text = "weekly", cron = "0 10 * * MON", time_zone = "Europe/Lisbon", enabled = false };
        var id = (await (await admin.PostAsJsonAsync("/admin/schedules", body)).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();

        var kept = (await admin.GetFromJsonAsync<JsonObject>($"/admin/schedules/{id}"))!;
        Assert.False(kept["enabled"]!.GetValue<bool>());
        Assert.Empty(Occurrences(kept));

        var enabled = body with { enabled = true };
        var first = await (await admin.PutAsJsonAsync($"/admin/schedules/{id}", enabled)).Content.ReadFromJsonAsync<JsonObject>();
        var second = await (await admin.PutAsJsonAsync($"/admin/schedules/{id}", enabled)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(first!.ToJsonString(), second!.ToJsonString());
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 9, 0, 0, TimeSpan.Zero), Occurrences(second)[0]); // 10:00 WEST

        var listed = (await admin.GetFromJsonAsync<JsonObject>("/admin/schedules?wa_id=351911000003"))!;
        Assert.Equal(id, Assert.Single(listed["items"]!.AsArray())!["id"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/schedules/{id}")).StatusCode);
        await ProblemAssert.StatusAsync(await admin.GetAsync($"/admin/schedules/{id}"), 404);
        await ProblemAssert.StatusAsync(await admin.PutAsJsonAsync($"/admin/schedules/{id}", enabled), 404);
    }

    [Fact]
    public async Task Schedule_InvalidInput_ReturnsFieldErrors()
    {
        var admin = fx.Admin();
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/schedules", new { wa_id = "1", message_text = "x", cron = "61 * * * *" }), "cron");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/schedules", new { wa_id = "1", message_text = "x", cron = "* * *" }), "cron");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/schedules", new { wa_id = "1", message_text = "x", cron = "0 9 * * *", interval_minutes = 5 }), "cron");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/schedules", new { wa_id = "1", message_text = "x", interval_minutes = 0 }), "interval_minutes");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/schedules", new { wa_id = "1", message_text = "x", interval_minutes = 5, time_zone = "Nowhere/City" }), "time_zone");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/schedules", new { message_text = "x", interval_minutes = 5 }), "wa_id");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/schedules", new { wa_id = "1", interval_minutes = 5 }), "message_text");
        await ProblemAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/admin/schedules", new { wa_id = "1", message_text = "x", interval_minutes = 5, agent_id = 999999 }), "agent_id");
    }
}
