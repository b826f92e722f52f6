using MicAi.Core.Scheduling;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MicAi.Tests.Scheduling;

public sealed class RecurrenceTests
{
    private static readonly DateTimeOffset Now = new(2026, 10, 24, 12, 0, 0, TimeSpan.Zero);

    private static DueSchedule Cron(string cron, string zone, DateTimeOffset occurrence) =>
        new(1, "1", "x", null, null, null, cron, zone, occurrence, false);

    [Fact]
    public void Cron_NextIsStrictlyAfterNow_InTheSchedulesZone_AsUtc()
    {
        var next = Recurrence.NextAfter(Cron("30 8 * * *", "America/New_York", Now.AddDays(-3)), Now)!.Value;
        Assert.Equal(new DateTimeOffset(2026, 10, 24, 12, 30, 0, TimeSpan.Zero), next); // 08:30 EDT today; missed days skipped
        Assert.Equal(TimeSpan.Zero, next.Offset);
    }

    [Fact]
    public void Cron_WithSeconds_IsSixFields()
    {
        Assert.Equal(Now.AddSeconds(15), Recurrence.NextAfter(Cron("*/15 * * * * *", "UTC", Now), Now));
        Assert.Equal(Now.AddSeconds(15), Recurrence.NextAfter(Cron("*/15 * * * * *", "UTC", Now), Now.AddTicks(1)));
    }

    [Fact]
    public void Cron_FollowsTheZoneAcrossTheAutumnChange()
    {
        // Lisbon leaves summer time on 25 October 2026: 09:00 local is 08:00Z before, 09:00Z after.
        var upcoming = Recurrence.Upcoming("0 9 * * *", null, "Europe/Lisbon", new DateTimeOffset(2026, 10, 24, 8, 0, 0, TimeSpan.Zero), 3);
        Assert.Equal(new[] { 8, 9, 9 }, upcoming.Select(o => o.Hour));
    }

    [Theory]
    [InlineData("* * * *")]
    [InlineData("60 * * * *")]
    [InlineData("0 25 * * *")]
    [InlineData("not a cron")]
    public void Cron_Invalid_IsRejectedWithAReason(string cron)
    {
        Assert.False(Recurrence.TryParseCron(cron, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public async Task Tick_FiresACronScheduleOnce_AndAdvancesToTheNextSlotInItsZone()
    {
        var start = new DateTimeOffset(2026, 10, 24, 8, 0, 30, TimeSpan.Zero); // 09:00:30 in Lisbon (summer time)
        var time = new FakeTimeProvider(start);
        await using var core = await CoreServices.StartAsync(time: time);
        var db = core.Get<NpgsqlDataSource>();
        var id = await db.ScalarAsync<long>("""
            INSERT INTO schedules (wa_id, message_text, cron, time_zone, next_run_at)
            VALUES ('351910000000', 'Bom dia', '0 9 * * *', 'Europe/Lisbon', $1) RETURNING id
            """, start.AddSeconds(-30));

        Assert.Equal(1, await core.Get<SchedulerTick>().RunAsync(CancellationToken.None));
        Assert.Equal(new DateTime(2026, 10, 25, 9, 0, 0), await db.ScalarAsync<DateTime>("SELECT next_run_at FROM schedules WHERE id = $1", id));
        Assert.Equal(0, await core.Get<SchedulerTick>().RunAsync(CancellationToken.None));
    }
}
