using System.Globalization;
using System.Text;
using System.Text.Json;
using MicAi.Core.WhatsApp;

namespace MicAi.Bench;

/// <summary>
/// What a media message costs beside a text one: image messages (a 100 KB photo each, its own media id) at a fixed
/// rate, each answered only after the worker looked the media up at the Graph stub, downloaded it, checked its sha256
/// and kept it in the media store (Postgres by default). Rows: webhook → reply latency, CPU per media message, and
/// the bytes Postgres keeps per message. Every message must be answered once and its file downloaded once.
/// </summary>
public sealed class MediaPart(BenchStack stack, Report report)
{
    private const string Part = "media";
    private readonly string run = Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    public async Task RunAsync()
    {
        var api = stack.Api ?? throw new InvalidOperationException("media needs the api role");
        var options = stack.Options;
        var count = options.E2eMessages ?? 300;
        var rate = Math.Min(options.E2eRate, 50);
        using var sender = new WebhookSender(api.BaseAddress, 16);
        var downloadsBefore = stack.Graph.MediaDownloads;
        var bytesBefore = await StoredBytesAsync();
        var cpuBefore = await stack.CpuAsync();
        var phase = new ReplyTracker.Phase($"{count} media messages at {rate:N0}/s");
        long n = 0;
        var load = await sender.FixedRateAsync(phase.Name, rate, TimeSpan.Zero, () =>
        {
            var webhook = Build(Interlocked.Increment(ref n));
            stack.Tracker.Expect(webhook.Wamid, phase);
            return webhook;
        }, (w, ok) => { if (!ok) stack.Tracker.Forget(w.Wamid); }, count);
        await stack.Tracker.DrainAsync(phase, options.DrainTimeout, CancellationToken.None);
        var cpuAfter = await stack.CpuAsync();
        stack.ThrowIfAnyExited();

        var lat = phase.Latencies();
        var downloads = stack.Graph.MediaDownloads - downloadsBefore;
        var stored = await StoredBytesAsync() - bytesBefore;
        report.Add(new Row(Part, $"media messages answered (100 KB photo each, {rate:N0}/s)", $"{phase.Answered} of {phase.Expected} in {load.Elapsed.TotalSeconds:F1} s"));
        report.Add(new Row(Part, "webhook → reply p50 / p95 / max (lookup + download + sha256 + store before the answer)",
            $"{Report.Ms(lat.P50)} / {Report.Ms(lat.P95)} / {Report.Ms(lat.Max)}"));
        CpuProfile.Add(report, Part, cpuBefore, cpuAfter, load.Elapsed, phase.Answered, "media message");
        report.Add(new Row(Part, "Postgres bytes kept per media message (media_content, after TOAST)",
            phase.Answered == 0 ? "-" : (stored / phase.Answered).ToString("N0", CultureInfo.InvariantCulture)));
        report.Check(Part, "media messages not answered", phase.Expected - phase.Answered);
        report.Check(Part, "downloads other than one per message", Math.Abs(downloads - phase.Expected));
    }

    private async Task<long> StoredBytesAsync()
    {
        await using var cmd = stack.Db.CreateCommand("SELECT coalesce(pg_total_relation_size(to_regclass('media_content')), 0)");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private Webhook Build(long n)
    {
        var from = "5521" + (900_000_000 + n).ToString(CultureInfo.InvariantCulture);
        var wamid = "wamid.HBgM" + Convert.ToBase64String(Encoding.ASCII.GetBytes($"{from}MEDIA{run}{n:D10}")).TrimEnd('=');
        var mediaId = $"9{run.GetHashCode() & 0xffffff:D8}{n:D8}";
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var json = $$$"""
            {"object":"whatsapp_business_account","entry":[{"id":"102938475610293","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"{{{stack.PhoneNumberIds[0]}}}"},"contacts":[{"profile":{"name":"Ana Souza"},"wa_id":"{{{from}}}"}],"messages":[{"from":"{{{from}}}","id":"{{{wamid}}}","timestamp":"{{{ts}}}","type":"image","image":{"caption":"michael: photo of the box","mime_type":"image/jpeg","id":"{{{mediaId}}}"}}]},"field":"messages"}]}]}
            """;
        var body = Encoding.UTF8.GetBytes(json);
        return new Webhook(wamid, from, body, WebhookSignature.Compute(stack.AppSecret, body), false);
    }
}
