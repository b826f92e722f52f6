using Npgsql;
using StackExchange.Redis;

namespace MicAi.Core.Configuration;

/// <summary>
/// Accepts database and Redis settings in both the URL form that Render, Neon and Upstash hand out and the
/// native form Azure hands out, and turns them into what Npgsql and StackExchange.Redis take.
/// </summary>
public static class ConnectionStrings
{
    // libpq option names (as Neon puts channel_binding=require in its URLs) → Npgsql keywords.
    private static readonly Dictionary<string, string> LibpqKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
    };

    // SQLAlchemy's dialect+driver schemes, as the Python service's MICAI_DATABASE_URL names them: the driver part means
    // nothing to Npgsql, so it is dropped (postgresql+psycopg://… is postgresql://…).
    private static readonly string[] PythonDriverSchemes = ["postgresql+psycopg://", "postgresql+psycopg2://"];

    public static string ToNpgsql(string value)
    {
        if (PythonDriverSchemes.FirstOrDefault(s => value.StartsWith(s, StringComparison.OrdinalIgnoreCase)) is { } python)
            value = "postgresql://" + value[python.Length..];
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) &&
            !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new NpgsqlConnectionStringBuilder(value).ConnectionString; // validates keywords

        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : null,
        };
        var (user, password) = SplitUserInfo(uri);
        if (user.Length > 0) builder.Username = user;
        if (password is not null) builder.Password = password;
        foreach (var (key, val) in QueryPairs(uri.Query))
        {
            // libpq-style options in the URL (sslmode=require …) map onto Npgsql keywords where they exist.
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
                builder.SslMode = Enum.Parse<SslMode>(val.Replace("-", ""), ignoreCase: true);
            else
                builder[LibpqKeywords.GetValueOrDefault(key, key.Replace('_', ' '))] = val;
        }
        return builder.ConnectionString;
    }

    public static ConfigurationOptions ToRedis(string value)
    {
        ConfigurationOptions options;
        if (value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) ||
            value.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(value);
            options = new ConfigurationOptions
            {
                Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase),
            };
            options.EndPoints.Add(uri.Host, uri.Port > 0 ? uri.Port : 6379);
            var (user, password) = SplitUserInfo(uri);
            if (user.Length > 0) options.User = user;
            if (!string.IsNullOrEmpty(password)) options.Password = password;
            if (int.TryParse(uri.AbsolutePath.TrimStart('/'), out var db)) options.DefaultDatabase = db;
            foreach (var (key, val) in QueryPairs(uri.Query)) ApplyRedisQuery(options, key, val);
        }
        else
        {
            options = ConfigurationOptions.Parse(value);
        }
        // A queue must survive Redis restarts and a slow start: keep retrying instead of failing the process.
        options.AbortOnConnectFail = false;
        options.ConnectRetry = Math.Max(options.ConnectRetry, 3);
        return options;
    }

    /// <summary>
    /// Query parameters of a redis(s):// URL, named as redis-py names them (the Python service this ports read these
    /// URLs). Only <c>ssl_ca_certs</c> is known: a private CA to trust for the server's certificate, as an operator
    /// would name it for a managed Redis behind a private CA. Anything else is refused, never silently ignored.
    /// </summary>
    private static void ApplyRedisQuery(ConfigurationOptions options, string key, string value)
    {
        if (!key.Equals("ssl_ca_certs", StringComparison.Ordinal))
            throw new ConnectionSettingException($"unknown query parameter '{key}' (only ssl_ca_certs is understood)");
        if (!options.Ssl) throw new ConnectionSettingException("ssl_ca_certs needs a rediss:// (TLS) URL");
        if (!File.Exists(value)) throw new ConnectionSettingException($"ssl_ca_certs names no readable file: '{value}'");
        try
        {
            // The certificate must chain to this CA (and match the host name): a server with any other certificate
            // is refused, as with the system's roots.
            options.TrustIssuer(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            throw new ConnectionSettingException($"ssl_ca_certs is not a PEM or DER certificate: '{value}'");
        }
    }

    /// <summary>The address part only, for logs and /ready messages (never the password).</summary>
    public static string DescribeRedis(ConfigurationOptions options) => string.Join(",", options.EndPoints.Select(EndPointCollection.ToString));

    private static (string User, string? Password) SplitUserInfo(Uri uri)
    {
        if (uri.UserInfo.Length == 0) return ("", null);
        var colon = uri.UserInfo.IndexOf(':');
        return colon < 0
            ? (Uri.UnescapeDataString(uri.UserInfo), null)
            : (Uri.UnescapeDataString(uri.UserInfo[..colon]), Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
    }

    private static IEnumerable<(string, string)> QueryPairs(string query)
    {
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq > 0) yield return (Uri.UnescapeDataString(part[..eq]), Uri.UnescapeDataString(part[(eq + 1)..]));
        }
    }
}

/// <summary>A connection setting that is well-formed but wrong; its message names no secret, so it may be shown.</summary>
public sealed class ConnectionSettingException(string message) : FormatException(message);
