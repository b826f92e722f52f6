using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MicAi.Core.Configuration;
using MicAi.Core.Inbox;
using MicAi.Core.Queue;
using MicAi.Core.WhatsApp;
using MicAi.FunctionsStandIn;
using StackExchange.Redis;

namespace MicAi.Bench;

/// <summary>
/// The Functions worker's queue drain: the published MicAi.Functions app under the stand-in Functions host (the one
/// the tests use), with the Host's production settings on this rig. Before each timed run N inbound messages are
/// stored and queued as ingest stores and queues them (Core's InboundStore and JobStream); then WorkerPoll is invoked
/// once, as the host does when its timer fires, and the time from the invocation request to its response is the
/// drain time. Every message must be answered exactly once at the Graph stub, within that one invocation.
/// </summary>
public sealed partial class FunctionsPart(BenchOptions options, Report report, BenchProcesses processes)
{
    private const string Part = "functions";
    private const int WarmupJobs = 50;

    public async Task RunAsync()
    {
        await using var stack = await BenchStack.CreateAsync(options);
        await stack.MigrateAsync(); // a deploy step before the app starts, as the azd predeploy hook runs it
        var settings = new Dictionary<string, string>(stack.Environment)
        {
            // Required by the host to load the timers; the stand-in never fires them on its own: the bench invokes.
            ["MICAI_WORKER_POLL_SCHEDULE"] = "*/5 * * * * *",
            ["MICAI_SCHEDULER_SCHEDULE"] = "*/15 * * * * *",
        };
        await using var host = await FunctionsTestHost.StartAsync(Path.GetFullPath(options.FunctionsDir), settings, CancellationToken.None);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(ConnectionStrings.ToRedis(options.RedisUrl));
        var stream = new JobStream(redis, new RedisKeys(stack.Environment[QueueSettings.Keys.RedisKeyPrefix]));
        var inbound = new InboundStore(stack.Db);
        var payloads = new Payloads(stack.AppSecret, stack.PhoneNumberIds, duplicateRatio: 0, seed: 37);

        await RunOnceAsync(host, stack, stream, inbound, payloads, WarmupJobs, "warm-up"); // JIT, pools, TLS sessions
        var drains = new List<double>();
        var events = new List<WindowEvents>();
        long handledShort = 0, lost = 0, duplicated = 0, left = 0;
        for (var run = 1; run <= options.FunctionsRuns; run++)
        {
            var before = await WindowSample.TakeAsync(processes, stack.Db, [("functions", host.WorkerPid)]);
            var outcome = await RunOnceAsync(host, stack, stream, inbound, payloads, options.FunctionsJobs, $"run {run}");
            events.Add(WindowSample.Between(before, await WindowSample.TakeAsync(processes, stack.Db, [("functions", host.WorkerPid)])));
            drains.Add(outcome.Took.TotalMilliseconds);
            handledShort += Math.Max(0, options.FunctionsJobs - outcome.Handled);
            (lost, duplicated, left) = (lost + outcome.Lost, duplicated + outcome.Duplicated, left + outcome.Left);
        }

        var jobs = options.FunctionsJobs.ToString("N0", CultureInfo.InvariantCulture);
        var drain = WindowFigure.Add(report, Part, $"WorkerPoll: one invocation drains {jobs} queued inbound jobs (request → response)", drains, events,
            "invocations", Report.Ms, "< 2 s", m => m < 2000, lowerIsBetter: true);
        report.Add(new Row(Part, "WorkerPoll drain rate (jobs ÷ median drain time)", Report.Rate(options.FunctionsJobs / (drain.Median / 1000), "jobs/s")));
        report.Add(new Row(Part, "worker start under the stand-in host (spawn → functions loaded)", Report.Ms(host.StartupTime.TotalMilliseconds)));
        report.Check(Part, "jobs a WorkerPoll run left for the next one", handledShort);
        report.Check(Part, "lost replies", lost);
        report.Check(Part, "duplicated replies", duplicated);
        report.Check(Part, "jobs left in the stream or pending", left);
        report.Environment("Functions", $"MicAi.Functions under the stand-in host; worker concurrency {stack.Environment.GetValueOrDefault(WorkerSettings.Keys.Concurrency, "default")}, WorkerPoll budget default");
    }

    private sealed record Outcome(TimeSpan Took, int Handled, long Lost, long Duplicated, long Left);

    private static async Task<Outcome> RunOnceAsync(FunctionsTestHost host, BenchStack stack, JobStream stream, InboundStore inbound,
        Payloads payloads, int count, string name)
    {
        var phase = new ReplyTracker.Phase(name);
        var messages = Enumerable.Range(0, count).Select(_ => WebhookParser.Parse(payloads.Next().Body).Batch!.Messages[0]).ToList();
        foreach (var m in messages) stack.Tracker.Expect(m.Wamid, phase);
        var now = DateTimeOffset.UtcNow;
        foreach (var chunk in messages.Chunk(200))
        {
            var (_, toAnswer) = await inbound.InsertNewAsync(chunk, CancellationToken.None);
            await stream.EnqueueAsync(toAnswer.Select(w => Job.New(JobTypes.Inbound, w, now)).ToArray());
        }

        var clock = Stopwatch.StartNew();
        var invocation = await host.InvokeTimerAsync("WorkerPoll", CancellationToken.None);
        var took = clock.Elapsed;
        if (!invocation.Succeeded) throw new InvalidOperationException($"WorkerPoll failed: {invocation.Exception}\n{host.Diagnostics()}");
        var handled = invocation.Logs.Select(l => Handled().Match(l)).Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        // The sends ran inside the invocation; a short quiet period only catches a reply still in flight at the stub.
        await stack.Tracker.DrainAsync(phase, TimeSpan.FromSeconds(2), CancellationToken.None);
        var (length, pending) = await stream.CountsAsync();
        return new Outcome(took, handled, phase.Lost, phase.Duplicated, length + pending);
    }

    [GeneratedRegex(@"^WorkerPoll handled (\d+) jobs")]
    private static partial Regex Handled();
}
