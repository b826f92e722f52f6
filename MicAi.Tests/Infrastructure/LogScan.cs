using MicAi.Core;
using MicAi.Core.Admin;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using System.Text.RegularExpressions;
using MicAi.Core.Configuration;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// What must never be in a process's captured output: a secret's value (a whole URL or the password inside it; the
/// phone number id is read like a secret but identifies, it does not authenticate, and is logged with Graph calls), a
/// Postgres error (a failed query, a pooler that ran another client's prepared statement) or a Redis error (a
/// refused login, CROSSSLOT on a cluster). Findings name the setting and the line, never the value.
/// </summary>
public static partial class LogScan
{
    [GeneratedRegex(@"Npgsql\.|PostgresException|prepared statement|SqlState")]
    public static partial Regex PostgresError();

    [GeneratedRegex(@"Redis(Connection|Server|Timeout|Command)Exception|CROSSSLOT|WRONGPASS|NOAUTH|NOPERM|\bMOVED \d|\bASK \d")]
    public static partial Regex RedisError();

    /// <summary>
    /// Each value to look for, by the setting it belongs to: the value itself and, for a URL with a password in it,
    /// the password alone (it would leak in Npgsql's or StackExchange.Redis's own connection-string form).
    /// </summary>
    public static IEnumerable<(string Name, string Value)> SecretValues(IReadOnlyDictionary<string, string> secrets)
    {
        foreach (var (name, value) in secrets)
        {
            if (name == WhatsAppSettings.Keys.PhoneNumberId) continue; // an identifier: in every webhook Meta sends and every Graph URL
            yield return (name, value);
            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Split(':', 2) is [_, { Length: > 0 } password])
                yield return ($"{name} password", Uri.UnescapeDataString(password));
        }
    }

    /// <summary>Every finding in the outputs, as "process line N: what: the line", each secret in it replaced by its name.</summary>
    public static List<string> Findings(IEnumerable<(string Process, string Output)> outputs, IReadOnlyDictionary<string, string> secrets)
    {
        var values = SecretValues(secrets).ToList();
        var findings = new List<string>();
        foreach (var (process, output) in outputs)
        {
            var lines = output.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                var leaked = values.Where(s => line.Contains(s.Value, StringComparison.Ordinal)).Select(s => s.Name).Distinct().ToList();
                if (leaked.Count > 0) findings.Add($"{process} line {i + 1}: the value of {string.Join(", ", leaked)}: {Redact(line, values)}");
                else if (PostgresError().IsMatch(line) || RedisError().IsMatch(line)) findings.Add($"{process} line {i + 1}: {Redact(line, values)}");
            }
        }
        return findings;
    }

    private static string Redact(string line, List<(string Name, string Value)> values) =>
        values.Aggregate(line, (text, s) => text.Replace(s.Value, $"<{s.Name}>", StringComparison.Ordinal));
}
