using System.Diagnostics;
using MicAi.Core.Admin;

namespace MicAi.Bench;

/// <summary>
/// The operator console's reads with a large ledger: <see cref="LedgerRows"/> outbound rows are added (over whatever
/// the other parts left), then every admin API read a console page makes is timed on the running api, with the admin
/// key, after a warm-up: the console's server time as a browser on the same machine would see it (loopback).
/// </summary>
public sealed class ConsolePart(BenchStack stack, Report report)
{
    private const string Part = "console";
    public const int LedgerRows = 200_000;
    private const int Warmup = 5;
    private const int Samples = 40;

    /// <summary>Each page's reads (the dashboard's poll, the ledger's searches, the other lists) and the page itself.</summary>
    private static readonly (string Page, string Path)[] Reads =
    [
        ("dashboard", "admin/stats"),
        ("ledger, newest page", "admin/outbound/messages?limit=50"),
        ("ledger, by contact", "admin/outbound/messages?wa_id=15550004242&limit=50"),
        ("ledger, by wamid", "admin/outbound/messages?wamid=wamid.CONSOLEBENCH123456"),
        ("ledger, failed", "admin/outbound/messages?status=failed&limit=50"),
        ("dead jobs", "admin/dead-jobs?limit=50"),
        ("agents", "admin/agents?limit=200"),
        ("schedules", "admin/schedules?limit=50"),
        ("conversations, most recent first", "admin/contacts?order=recent&limit=50"),
        ("thread: a contact's timeline", "admin/contacts/15550004242/messages?limit=50"),
        ("attention list", "admin/attention?limit=50"),
        ("console page (HTML)", "console"),
    ];

    public async Task RunAsync()
    {
        var api = stack.Api ?? throw new InvalidOperationException("the console part reads through the api role");
        await SeedAsync();
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("x-admin-key", stack.Environment[AdminSettings.Keys.ApiKey]);
        foreach (var (page, path) in Reads)
        {
            for (var i = 0; i < Warmup; i++) (await http.GetAsync(path)).EnsureSuccessStatusCode();
            var times = new List<double>(Samples);
            for (var i = 0; i < Samples; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path);
                var body = await response.Content.ReadAsByteArrayAsync();
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                response.EnsureSuccessStatusCode();
            }
            var spread = Spread.Of(times);
            report.Add(new Row(Part, $"{page}: GET /{path}", spread.Format(Report.Ms, "requests"), "< 300 ms", spread.Median < 300));
        }
        report.Note($"console: {LedgerRows:N0} ledger rows added before the reads (1 in 4 failed, 5,000 contacts, two hours of history), ANALYZEd; {Samples} requests per read after {Warmup} warm-ups, one at a time.");
    }

    private async Task SeedAsync()
    {
        await using var insert = stack.Db.CreateCommand($"""
            INSERT INTO outbound_messages (idempotency_key, wa_id, kind, body, status, provider_message_id, created_at)
            SELECT 'consolebench:' || i, '1555000' || lpad((i % 5000)::text, 4, '0'), 'text', 'hello ' || i,
                   (ARRAY['sent', 'delivered', 'read', 'failed'])[1 + i % 4], 'wamid.CONSOLEBENCH' || i,
                   now() - make_interval(secs => i * 7200.0 / {LedgerRows})
            FROM generate_series(1, {LedgerRows}) i
            """);
        insert.CommandTimeout = 300;
        await insert.ExecuteNonQueryAsync();
        // The ledger's 5,000 recipients as contacts, each with a recent inbound: what the conversations list reads.
        await using var contacts = stack.Db.CreateCommand("""
            INSERT INTO contacts (wa_id, phone, last_inbound_at)
            SELECT '1555000' || lpad(i::text, 4, '0'), '1555000' || lpad(i::text, 4, '0'), now() - make_interval(secs => i)
            FROM generate_series(0, 4999) i ON CONFLICT (wa_id) DO NOTHING
            """);
        await contacts.ExecuteNonQueryAsync();
        await using var analyze = stack.Db.CreateCommand("ANALYZE outbound_messages; ANALYZE contacts");
        await analyze.ExecuteNonQueryAsync();
    }
}
