using System.Diagnostics;
using System.Net.Http.Headers;
using MicAi.Core.WhatsApp;

namespace MicAi.Bench;

/// <summary>
/// The figures of one load phase at the HTTP level. <see cref="Start"/> and <see cref="End"/> are Stopwatch timestamps;
/// <see cref="Timed"/> holds each request's completion (closed loop) or due time (fixed rate) with its latency, so
/// the phase can be cut into windows.
/// </summary>
public sealed record LoadResult(string Name, long Sent, long Errors, TimeSpan Elapsed, Latencies Latencies, double MaxPacerLagMs,
    long Start, long End, IReadOnlyList<(long At, double Ms)> Timed)
{
    public double PerSecond => Sent / Elapsed.TotalSeconds;
}

/// <summary>
/// Posts signed webhooks to /webhook over a pool of keep-alive connections, closed-loop (N in flight, as fast as
/// the api answers) or open-loop at a fixed rate. Latency is request start → response fully read.
/// </summary>
public sealed class WebhookSender(Uri api, int maxConnections) : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = maxConnections, UseCookies = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    }) { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>One POST; true on 200. Latency in ms.</summary>
    public async Task<(bool Ok, double Ms)> PostAsync(Webhook webhook)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "webhook") { Content = new ByteArrayContent(webhook.Body) };
            request.Content.Headers.ContentType = Json;
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, webhook.Signature);
            using var response = await http.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return (response.IsSuccessStatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (HttpRequestException) { return (false, Stopwatch.GetElapsedTime(start).TotalMilliseconds); }
        catch (TaskCanceledException) { return (false, Stopwatch.GetElapsedTime(start).TotalMilliseconds); }
    }

    /// <summary>
    /// <paramref name="concurrency"/> loops, each posting its next webhook as soon as the last one answered, from
    /// <paramref name="start"/> (a Stopwatch timestamp; now when not given) until <paramref name="duration"/> after it.
    /// </summary>
    public async Task<LoadResult> ClosedLoopAsync(string name, int concurrency, TimeSpan duration, Func<Webhook> next, Action<Webhook, bool>? done = null,
        long? start = null)
    {
        var samples = new List<(long At, double Ms)>[concurrency];
        long errors = 0;
        var begin = start ?? Stopwatch.GetTimestamp();
        var stopAt = begin + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => Task.Run(async () =>
        {
            var mine = samples[i] = new List<(long, double)>(4096);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var webhook = next();
                var (ok, ms) = await PostAsync(webhook);
                mine.Add((Stopwatch.GetTimestamp(), ms));
                if (!ok) Interlocked.Increment(ref errors);
                done?.Invoke(webhook, ok);
            }
        })));
        var end = Stopwatch.GetTimestamp();
        var all = samples.SelectMany(s => s).ToArray();
        return new LoadResult(name, all.Length, errors, Stopwatch.GetElapsedTime(begin, end), new Latencies(all.Select(s => s.Ms).ToArray()), 0, begin, end, all);
    }

    /// <summary>
    /// Open loop: webhook i is due at start + i/rate and is posted then whether or not earlier ones answered. The
    /// pacer's worst lag behind schedule is reported, so a starved load generator shows itself.
    /// </summary>
    public async Task<LoadResult> FixedRateAsync(string name, double rate, TimeSpan duration, Func<Webhook> next, Action<Webhook, bool>? done = null,
        long? count = null, long? start = null)
    {
        var total = count ?? (long)(rate * duration.TotalSeconds);
        var samples = new double[total];
        var inFlight = new List<Task>((int)Math.Min(total, 1 << 20));
        long errors = 0, issued = 0;
        double maxLag = 0;
        var begin = start ?? Stopwatch.GetTimestamp();
        while (issued < total)
        {
            var elapsed = Stopwatch.GetElapsedTime(begin).TotalSeconds;
            var due = Math.Min(total, (long)(elapsed * rate) + 1);
            for (; issued < due; issued++)
            {
                maxLag = Math.Max(maxLag, (elapsed - issued / rate) * 1000);
                var slot = issued;
                var webhook = next();
                inFlight.Add(Task.Run(async () =>
                {
                    var (ok, ms) = await PostAsync(webhook);
                    samples[slot] = ms;
                    if (!ok) Interlocked.Increment(ref errors);
                    done?.Invoke(webhook, ok);
                }));
            }
            await Task.Delay(1);
        }
        await Task.WhenAll(inFlight);
        var end = Stopwatch.GetTimestamp();
        // Before Latencies sorts the samples in place: slot i was due at begin + i / rate.
        var timed = samples.Select((ms, slot) => (begin + (long)(slot / rate * Stopwatch.Frequency), ms)).ToArray();
        return new LoadResult(name, total, errors, Stopwatch.GetElapsedTime(begin, end), new Latencies(samples), maxLag, begin, end, timed);
    }

    public void Dispose() => http.Dispose();
}
