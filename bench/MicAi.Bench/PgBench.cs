using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MicAi.Core.WhatsApp;

namespace MicAi.Bench;

/// <summary>
/// pgbench, Postgres's own load generator in C, running the ceiling's insert beside the Npgsql loop: one of the
/// bench's messages as literals, a fresh key per transaction (5 % repeating a key, as redeliveries do), 16 clients,
/// <c>-M prepared</c> direct or <c>-M extended</c> (unnamed statements, as the Host behind PgBouncer). Its client
/// costs a fraction of the Npgsql loop's CPU on the same two cores, so the two together show how much of the
/// ceiling is the client. Per-window throughput comes from its <c>-P</c> progress lines.
/// </summary>
public static partial class PgBench
{
    /// <summary>Transactions per second in each whole window after the warm-up, or an exception with pgbench's output.</summary>
    public static async Task<double[]> RunAsync(string pgbench, string url, bool prepared, InboundMessage message, BenchOptions options, int window)
    {
        var script = Path.Combine(Path.GetTempPath(), $"micai-pgbench-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, Script(message, options.Duplicates));
        try
        {
            var warmup = (int)Math.Ceiling(options.Warmup.TotalSeconds / window);
            var windows = Math.Max(1, (int)Math.Round(options.IngestDuration.TotalSeconds / window));
            var info = new ProcessStartInfo(pgbench) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[]
                     {
                         "-n", "-c", options.CeilingConnections.ToString(CultureInfo.InvariantCulture), "-j", "2",
                         // One window more than needed: pgbench prints no progress line for an interval the run's end cuts.
                         "-T", ((warmup + windows + 1) * window).ToString(CultureInfo.InvariantCulture),
                         "-P", window.ToString(CultureInfo.InvariantCulture), "-M", prepared ? "prepared" : "extended", "-f", script, url,
                     })
                info.ArgumentList.Add(arg);
            using var process = Process.Start(info) ?? throw new InvalidOperationException("pgbench did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var progress = await stderr;
            if (process.ExitCode != 0) throw new InvalidOperationException($"pgbench exited with {process.ExitCode}:\n{progress}\n{await stdout}");
            var tps = Progress(progress).Skip(warmup).Take(windows).ToArray();
            return tps.Length == windows ? tps : throw new InvalidOperationException($"pgbench reported {tps.Length} of {windows} windows:\n{progress}");
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>The tps of each "progress: 3.0 s, 2836.5 tps, lat 5.637 ms stddev 3.101, 0 failed" line.</summary>
    public static IEnumerable<double> Progress(string stderr) =>
        ProgressLine().Matches(stderr).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    /// <summary>
    /// The custom script: the row InboundStore writes, with the message's values as literals and a key from a random
    /// 53-bit number; one transaction in every round(1 ÷ ratio) inserts the client's own repeat key instead, which
    /// exists after its first time, so ON CONFLICT skips it as it skips a redelivery.
    /// </summary>
    public static string Script(InboundMessage m, double duplicateRatio)
    {
        var every = duplicateRatio > 0 ? Math.Max(2, (int)Math.Round(1 / duplicateRatio)) : 0;
        var values = string.Join(", ", new[]
        {
            Literal(m.PhoneNumberId), Literal(m.WaId), Literal(m.Phone), Literal(m.UserId), Literal(m.ProfileName), Literal(m.Type),
            Literal(m.AgentText), Literal(m.ContextMessageId), Literal(m.Timestamp!.Value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)) + "::timestamptz",
            Literal(m.Json) + "::jsonb", Literal(m.Answerable ? "received" : "ignored"),
        });
        string Insert(string key) =>
            "INSERT INTO inbound_messages (wamid, phone_number_id, wa_id, phone, user_id, profile_name, type, text, context_message_id, " +
            $"sent_at, payload, status) VALUES ({key}, {values}) ON CONFLICT (wamid) DO NOTHING;\n";
        var script = new StringBuilder("\\set k random(1, 9007199254740991)\n");
        if (every == 0) return script.Append(Insert("'wamid.pgbench.' || :k::text")).ToString();
        script.Append(CultureInfo.InvariantCulture, $"\\set d random(1, {every})\n\\if :d = 1\n");
        script.Append(Insert("'wamid.pgbench.repeat.' || :client_id::text")).Append("\\else\n");
        return script.Append(Insert("'wamid.pgbench.' || :k::text")).Append("\\endif\n").ToString();
    }

    /// <summary>A SQL string literal (standard_conforming_strings: only the quote is doubled), or NULL.</summary>
    private static string Literal(string? value) => value is null ? "NULL" : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^progress: [\d.]+ s, ([\d.]+) tps", RegexOptions.Multiline)]
    private static partial Regex ProgressLine();
}
