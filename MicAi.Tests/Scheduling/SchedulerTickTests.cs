using MicAi.Core.Queue;
using MicAi.Core.Scheduling;
using MicAi.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MicAi.Tests.Scheduling;

public sealed class SchedulerTickTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 12, 10, 0, 0, TimeSpan.Zero);

    private static async Task<long> AddIntervalScheduleAsync(NpgsqlDataSource db, DateTimeOffset nextRun, int minutes = 60) =>
        await db.ScalarAsync<long>(
            "INSERT INTO schedules (wa_id, message_text, interval_minutes, next_run_at) VALUES ('15550002222', 'Daily tip', $1, $2) RETURNING id",
            minutes, nextRun);

    [Fact]
    public async Task Tick_TurnsADueOccurrence_IntoOneLedgerRowAndOneSendJob()
    {
        var time = new FakeTimeProvider(Start);
        await using var core = await CoreServices.StartAsync(time: time);
        var db = core.Get<NpgsqlDataSource>();
        var id = await AddIntervalScheduleAsync(db, Start.AddMinutes(-1));

        Assert.Equal(1, await core.Get<SchedulerTick>().RunAsync(CancellationToken.None));
        var key = $"schedule:{id}:{Start.AddMinutes(-1).ToUnixTimeSeconds()}";
        Assert.Equal("pending", await db.ScalarAsync<string>("SELECT status FROM outbound_messages WHERE idempotency_key = $1", key));
        var job = Job.FromFields(Assert.Single(await core.Get<JobStream>().ReadAsync("c", 10)).Values)!;
        Assert.Equal((JobTypes.Send, key), (job.Type, job.Key));
        Assert.Equal(Start.AddMinutes(59), await db.ScalarAsync<DateTime>("SELECT next_run_at FROM schedules WHERE id = $1", id));

        Assert.Equal(0, await core.Get<SchedulerTick>().RunAsync(CancellationToken.None)); // not due again yet
    }

    [Fact]
    public async Task Tick_SendsEachOccurrenceOnce_WhenTwoSchedulersRunTogether()
    {
        var time = new FakeTimeProvider(Start);
        await using var a = await CoreServices.StartAsync(time: time);
        await using var b = await CoreServices.StartAsync(time: time, configure: s =>
        {
            s["MICAI_DATABASE_URL"] = a.Settings["MICAI_DATABASE_URL"];
            s["MICAI_REDIS_KEY_PREFIX"] = a.Settings["MICAI_REDIS_KEY_PREFIX"];
        });
        var db = a.Get<NpgsqlDataSource>();
        for (var i = 0; i < 20; i++) await AddIntervalScheduleAsync(db, Start.AddSeconds(-i));

        var fired = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? a : b).Get<SchedulerTick>().RunAsync(CancellationToken.None)));
        Assert.Equal(20, fired.Sum());
        Assert.Equal(20L, await db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages"));
        Assert.Equal(20L, await db.ScalarAsync<long>("SELECT count(*) FROM schedule_runs"));
    }

    [Fact]
    public async Task Tick_RunsMissedOccurrencesOnce_AfterDowntime()
    {
        var time = new FakeTimeProvider(Start);
        await using var core = await CoreServices.StartAsync(time: time);
        var db = core.Get<NpgsqlDataSource>();
        var id = await AddIntervalScheduleAsync(db, Start.AddMinutes(-10 * 15 - 5), minutes: 15); // ten occurrences missed

        Assert.Equal(1, await core.Get<SchedulerTick>().RunAsync(CancellationToken.None));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages"));
        var next = await db.ScalarAsync<DateTime>("SELECT next_run_at FROM schedules WHERE id = $1", id);
        Assert.Equal(Start.AddMinutes(10), next); // the next slot on the original grid, in the future
    }

    [Fact]
    public async Task Tick_SweepsStoredButUnqueuedInboundMessages()
    {
        var time = new FakeTimeProvider(Start);
        await using var core = await CoreServices.StartAsync(time: time);
        var db = core.Get<NpgsqlDataSource>();
        await db.ExecuteAsync("""
            INSERT INTO inbound_messages (wamid, wa_id, type, text, payload, received_at)
            VALUES ('wamid.lost', '15550002222', 'text', 'michael: hi', '{}', now() - interval '5 minutes'),
                   ('wamid.fresh', '15550002222', 'text', 'michael: hi', '{}', now())
            """);
        await core.Get<SchedulerTick>().RunAsync(CancellationToken.None);
        var job = Job.FromFields(Assert.Single(await core.Get<JobStream>().ReadAsync("c", 10)).Values)!;
        Assert.Equal((JobTypes.Inbound, "wamid.lost"), (job.Type, job.Key));
    }
}
