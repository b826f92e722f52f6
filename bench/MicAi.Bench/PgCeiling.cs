using System.Diagnostics;
using MicAi.Core.Configuration;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace MicAi.Bench;

/// <summary>
/// The ceiling of the database work ingest must do, measured on the same Postgres before MicAi's parts run: single-row
/// <c>INSERT … ON CONFLICT (wamid) DO NOTHING</c> of the bench's own webhook messages (the row InboundStore writes,
/// with its ~1–3 KB jsonb payload) into an inbound_messages table made by Core's own migrations, from N connections
/// in a closed loop, each insert its own transaction with synchronous commit, as pgbench runs a custom script.
/// An Npgsql loop rather than pgbench: pgbench cannot draw its rows from the bench's payloads (its scripts only have
/// random numbers), its <c>-M prepared</c> breaks behind PgBouncer 1.18 in transaction mode, and the loop reaches
/// Postgres the way the Host does (same driver, TLS, SCRAM, pooler, statement preparation), so the ratio of ingest to
/// it is the cost of MicAi's own parts. The table lives in a database of its own, dropped afterwards and followed by a
/// CHECKPOINT, so neither its rows nor its dirty pages reach the later parts.
/// </summary>
public sealed class PgCeiling(BenchOptions options, Report report, BenchProcesses processes)
{
    private const string Part = "ceiling";
    private const int Templates = 2048;
    private const string Insert = """
        INSERT INTO inbound_messages
            (wamid, phone_number_id, wa_id, phone, user_id, profile_name, type, text, context_message_id, sent_at, payload, status)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (wamid) DO NOTHING
        """;

    /// <summary>The inserts/s of the path the Host uses (through the pooler on the prod rig), or null when not measured.</summary>
    public Spread? HostPath { get; private set; }

    /// <summary>The same through pgbench (Postgres's C client), when bin/bench named it (--pgbench).</summary>
    public Spread? PgBenchHostPath { get; private set; }

    public async Task RunAsync()
    {
        var databaseUrl = await BenchStack.CreateDatabaseAsync(options.DatabaseUrl, "micai_ceiling_");
        try
        {
            await using (var direct = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(databaseUrl)))
                await new Migrator(direct, NullLogger<Migrator>.Instance).ApplyAsync(CancellationToken.None);
            var messages = TemplateMessages();
            if (options.PooledDatabaseUrl is { } pooler)
            {
                // As the Host reaches Postgres on this rig: through PgBouncer, no prepared statements (DEPLOYMENT.md §16).
                HostPath = await MeasureAsync(BenchStack.ThroughPooler(databaseUrl, pooler), databaseUrl, prepared: false, messages,
                    "through PgBouncer (transaction mode), unprepared: the Host's path");
                await MeasureAsync(databaseUrl, databaseUrl, prepared: true, messages, "direct to Postgres, prepared (pgbench -M prepared's way)");
                PgBenchHostPath = await PgBenchAsync(BenchStack.ThroughPooler(databaseUrl, pooler), databaseUrl, prepared: false, messages[0],
                    "through PgBouncer, -M extended: the Host's path");
                await PgBenchAsync(databaseUrl, databaseUrl, prepared: true, messages[0], "direct to Postgres, -M prepared");
            }
            else
            {
                HostPath = await MeasureAsync(databaseUrl, databaseUrl, prepared: true, messages, "direct, prepared: the Host's path");
                PgBenchHostPath = await PgBenchAsync(databaseUrl, databaseUrl, prepared: true, messages[0], "direct, -M prepared: the Host's path");
            }
        }
        finally
        {
            await DropAsync(databaseUrl);
        }
    }

    private async Task<Spread> MeasureAsync(string url, string directUrl, bool prepared, InboundMessage[] messages, string route)
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionStrings.ToNpgsql(url));
        // The pool options Core's Databases.Build gives the Host, minus its automatic preparation (done here explicitly).
        builder.ConnectionStringBuilder.MaxAutoPrepare = 0;
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.ConnectionStringBuilder.GssEncryptionMode = GssEncryptionMode.Disable;
        builder.ConnectionStringBuilder.Enlist = false;
        await using var db = builder.Build();
        await using (var truncate = db.CreateCommand("TRUNCATE inbound_messages")) await truncate.ExecuteNonQueryAsync();

        var keys = new CeilingKeys(messages.Length, options.Duplicates);
        var stopAt = Stopwatch.GetTimestamp() + Ticks(options.Warmup);
        await Task.WhenAll(Enumerable.Range(0, options.CeilingConnections).Select(_ => LoopAsync(db, prepared, messages, keys, () => stopAt, null)));

        // Checkpoints and autovacuum are watched on the server itself, whichever path the inserts take.
        await using var server = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(directUrl));
        var cpuBefore = processes.Cpu();
        var sampler = await WindowSampler.StartAsync(processes, server, () => [], options.Window);
        stopAt = sampler.Start + Ticks(options.IngestDuration);
        var done = Enumerable.Range(0, options.CeilingConnections).Select(_ => new List<long>(65536)).ToArray();
        await Task.WhenAll(done.Select(list => LoopAsync(db, prepared, messages, keys, () => stopAt, list)));
        var end = Stopwatch.GetTimestamp();
        var events = await sampler.StopAsync(end);
        var cpuAfter = processes.Cpu();

        var rates = WindowCounts.Rates(done.SelectMany(d => d), sampler.Start, end, options.Window);
        var spread = WindowFigure.Add(report, Part, $"INSERT … ON CONFLICT DO NOTHING/s, {options.CeilingConnections} connections, {route}",
            rates, events, WindowFigure.Label(options.Window), v => Report.Rate(v, "/s"));
        CpuProfile.Add(report, Part, cpuBefore, cpuAfter, Stopwatch.GetElapsedTime(sampler.Start, end), done.Sum(d => d.Count), "insert");
        await using (var count = db.CreateCommand("SELECT count(*) FROM inbound_messages"))
            report.Check(Part, $"rows missing or extra after the loop ({(prepared ? "prepared" : "unprepared")})", Math.Abs(keys.Unique - (long)(await count.ExecuteScalarAsync())!));
        return spread;
    }

    /// <summary>The same insert driven by pgbench on the same table (emptied first); null when no pgbench was given.</summary>
    private async Task<Spread?> PgBenchAsync(string url, string directUrl, bool prepared, InboundMessage message, string route)
    {
        if (options.PgBenchPath is not { } pgbench) return null;
        await using var server = NpgsqlDataSource.Create(ConnectionStrings.ToNpgsql(directUrl));
        await using (var truncate = server.CreateCommand("TRUNCATE inbound_messages")) await truncate.ExecuteNonQueryAsync();
        // pgbench reports whole seconds; a sub-second window is counted per second here.
        var window = Math.Max(1, (int)Math.Round(options.Window.TotalSeconds));
        var sampler = await WindowSampler.StartAsync(processes, server, () => [], TimeSpan.FromSeconds(window));
        var tps = await PgBench.RunAsync(pgbench, url, prepared, message, options, window);
        // The sampler's windows begin at the warm-up; pgbench's measured ones after it.
        var events = (await sampler.StopAsync(Stopwatch.GetTimestamp())).Skip((int)Math.Ceiling(options.Warmup.TotalSeconds / window)).ToList();
        return WindowFigure.Add(report, Part, $"pgbench (C client) INSERT … ON CONFLICT DO NOTHING/s, {options.CeilingConnections} clients, {route}",
            tps, events, WindowFigure.Label(TimeSpan.FromSeconds(window)), v => Report.Rate(v, "/s"));
    }

    /// <summary>One connection's closed loop: the next key, one insert (its own transaction), until the deadline.</summary>
    private static async Task LoopAsync(NpgsqlDataSource db, bool prepared, InboundMessage[] messages, CeilingKeys keys, Func<long> stopAt, List<long>? done)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(Insert, connection);
        var p = Enumerable.Range(0, 9).Select(_ => new NpgsqlParameter<string?> { NpgsqlDbType = NpgsqlDbType.Text }).ToArray();
        var sentAt = new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz };
        var payload = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb };
        var status = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text };
        foreach (var parameter in p) cmd.Parameters.Add(parameter);
        cmd.Parameters.Add(sentAt);
        cmd.Parameters.Add(payload);
        cmd.Parameters.Add(status);
        if (prepared) await cmd.PrepareAsync();
        while (Stopwatch.GetTimestamp() < stopAt())
        {
            var (index, wamid) = keys.Next();
            var m = messages[index];
            (p[0].TypedValue, p[1].TypedValue, p[2].TypedValue, p[3].TypedValue, p[4].TypedValue) = (wamid, m.PhoneNumberId, m.WaId, m.Phone, m.UserId);
            (p[5].TypedValue, p[6].TypedValue, p[7].TypedValue, p[8].TypedValue) = (m.ProfileName, m.Type, m.AgentText, m.ContextMessageId);
            sentAt.TypedValue = m.Timestamp!.Value.UtcDateTime;
            payload.TypedValue = m.Json;
            status.TypedValue = m.Answerable ? "received" : "ignored";
            await cmd.ExecuteNonQueryAsync();
            done?.Add(Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Messages of the bench's own deliveries (parsed by Core's parser, as ingest does), reused with fresh keys.</summary>
    private InboundMessage[] TemplateMessages()
    {
        var payloads = new Payloads("ceiling-" + Guid.NewGuid().ToString("N"), ["106540352242922"], duplicateRatio: 0, seed: 29);
        return Enumerable.Range(0, Templates).Select(_ => WebhookParser.Parse(payloads.Next().Body).Batch!.Messages[0]).ToArray();
    }

    private async Task DropAsync(string databaseUrl)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionStrings.ToNpgsql(options.DatabaseUrl)) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        // FORCE: PgBouncer still holds server connections to it. The CHECKPOINT writes the loop's dirty pages now,
        // not during the parts measured next.
        var name = new Uri(databaseUrl).AbsolutePath.TrimStart('/');
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE); CHECKPOINT", connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}

/// <summary>
/// Keys for the ceiling's inserts: message i of every round of the templates gets a fresh wamid, and a share of the
/// inserts (the bench's redelivery ratio) repeat a key of the previous round instead, so ON CONFLICT is exercised
/// as Meta's redeliveries exercise it in ingest. Thread-safe.
/// </summary>
public sealed class CeilingKeys(int templates, double duplicateRatio)
{
    private readonly int every = duplicateRatio > 0 ? Math.Max(2, (int)Math.Round(1 / duplicateRatio)) : int.MaxValue;
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private long issued, unique;

    /// <summary>Keys handed out that were new (each must end as exactly one row).</summary>
    public long Unique => Interlocked.Read(ref unique);

    public (int Template, string Wamid) Next()
    {
        var n = Interlocked.Increment(ref issued) - 1;
        if (!Repeats(n)) Interlocked.Increment(ref unique);
        // A repeat takes the key of the same template one round earlier, or further back while that one was a repeat
        // too: it always lands on a key that was handed out as new (round 0 never repeats).
        var m = n;
        while (Repeats(m)) m -= templates;
        var template = (int)(n % templates);
        return (template, $"wamid.ceiling.{run}.{template}.{m / templates}");
    }

    private bool Repeats(long n) => n >= templates && n % every == every - 1;
}
