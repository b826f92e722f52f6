using System.Diagnostics;
using System.Net;
using MicAi.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace MicAi.Tests.Faults;

[Collection(FaultCollection.Name)]
public sealed class ShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sigterm_UnderLoad_FinishesInFlightSends_ExitsZeroWithinTheTimeout_AndEachMessageIsAnsweredOnce()
    {
        await using var rig = await FaultRig.StartAsync(output, graphLatency: TimeSpan.FromMilliseconds(300));
        await rig.StartApiAsync();
        var draining = await rig.StartRunningAsync("worker");
        await rig.StartRunningAsync("scheduler");
        var messages = FaultRig.Messages(60 * FaultRig.Scale, "1566");
        Assert.All(await rig.PostAllAsync(messages.Select(m => m.Body).ToList()), s => Assert.Equal(HttpStatusCode.OK, s));
        await rig.WaitUntilAsync(() => Task.FromResult(rig.Graph.Messages.Count() >= 4), TimeSpan.FromSeconds(30), "sends in flight");

        var clock = Stopwatch.StartNew();
        draining.Terminate();
        Assert.Equal(0, await draining.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        var exitedIn = clock.Elapsed;
        Assert.True(exitedIn < TimeSpan.FromSeconds(10), $"exited after {exitedIn}, over MICAI_SHUTDOWN_TIMEOUT_SECONDS");
        var answeredAtExit = rig.Graph.Messages.Count();

        await rig.StartRunningAsync("worker");
        await rig.WaitUntilAsync(rig.SettledAsync, TimeSpan.FromSeconds(90), "every message to be handled");
        await Task.Delay(500);

        output.WriteLine($"SIGTERM: worker exited 0 after {exitedIn.TotalSeconds:F1}s with {answeredAtExit}/{messages.Count} answered");
        Assert.Equal((0, 0), rig.Tally(messages.Select(m => m.From), "SIGTERM under load"));
        // Graceful: sends in flight at SIGTERM completed, none was cut off into 'unknown'.
        Assert.Equal(messages.Count, await rig.Db.ScalarAsync<long>("SELECT count(*) FROM outbound_messages WHERE status = 'sent'"));
    }

    [Fact]
    public async Task Scheduler_StandbyTakesTheLease_WithinTwoPeriodsAfterKill9_AndWithinOnePeriodAfterSigterm()
    {
        await using var rig = await FaultRig.StartAsync(output);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Core.Configuration.ConnectionStrings.ToRedis(rig.Env["MICAI_REDIS_URL"]!));
        var leaseKey = new Core.Queue.RedisKeys(rig.Env["MICAI_REDIS_KEY_PREFIX"]!).SchedulerLease;
        var period = TimeSpan.FromSeconds(3); // MICAI_SCHEDULER_LEASE_SECONDS in the rig
        var schedulers = new List<HostProcess> { await rig.StartRunningAsync("scheduler"), await rig.StartRunningAsync("scheduler") };

        async Task<HostProcess> LeaderAsync(HostProcess? not = null)
        {
            HostProcess? leader = null;
            await rig.WaitUntilAsync(async () =>
            {
                var holder = (string?)await redis.GetDatabase().StringGetAsync(leaseKey);
                leader = schedulers.FirstOrDefault(s => s != not && !s.HasExited && holder?.Contains($"-{s.Pid}-", StringComparison.Ordinal) == true);
                return leader is not null;
            }, TimeSpan.FromSeconds(30), "a scheduler to hold the lease");
            return leader!;
        }

        var first = await LeaderAsync();
        first.Kill();
        var clock = Stopwatch.StartNew();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(5));
        var second = await LeaderAsync(not: first);
        var takeover = clock.Elapsed;
        Assert.NotEqual(first.Pid, second.Pid);
        Assert.True(takeover <= period * 2, $"standby took over after {takeover}");

        schedulers.Add(await rig.StartRunningAsync("scheduler"));
        clock.Restart();
        second.Terminate();
        var third = await LeaderAsync(not: second);
        var handover = clock.Elapsed;
        Assert.NotEqual(second.Pid, third.Pid);
        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(handover < period, $"handover after a clean stop took {handover}");
        output.WriteLine($"lease {period.TotalSeconds}s: takeover after kill -9 {takeover.TotalSeconds:F1}s, after SIGTERM {handover.TotalSeconds:F1}s");
    }
}
