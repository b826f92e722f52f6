using MicAi.Core.Configuration;
using StackExchange.Redis;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Queue.QueueSettings.Keys))]

namespace MicAi.Core.Queue;

/// <summary>
/// Redis, the transport, and the job stream's rules. The visibility timeout must be longer than any one job can take
/// (a send is bounded by the Graph client's timeout): a job pending longer is taken for dead (docs/reliability.md).
/// </summary>
public sealed record QueueSettings(ConfigurationOptions RedisOptions, string KeyPrefix, int MaxAttempts, TimeSpan VisibilityTimeout)
{
    public static class Keys
    {
        [Setting("redis://127.0.0.1:6379/0",
            "required; `redis://`, `rediss://user:pass@host:port/0` (TLS; `?ssl_ca_certs=/path/ca.crt` trusts a private CA, any other query is refused) or StackExchange.Redis form (`host:port,password=…,ssl=True`); `SSL_CERT_FILE`/`SSL_CERT_DIR` add a CA system-wide ([DEPLOYMENT.md §17](DEPLOYMENT.md#17-redis-tls-a-private-ca-an-acl-user-a-cluster))",
            Secret = true, RequiredInProd = true)]
        public const string RedisUrl = "MICAI_REDIS_URL";

        [Setting("micai", "prefix of every Redis key (MicAi adds the hash tag `{…}` itself, so no braces)")]
        public const string RedisKeyPrefix = "MICAI_REDIS_KEY_PREFIX";

        [Setting("5", "attempts before a job becomes a dead job (`GET /admin/dead-jobs`, replay, delete)")]
        public const string MaxAttempts = "MICAI_QUEUE_MAX_ATTEMPTS";

        [Setting("60", "a job pending longer than this is taken back from its (dead) worker")]
        public const string VisibilityTimeoutSeconds = "MICAI_QUEUE_VISIBILITY_TIMEOUT_SECONDS";

        [Setting(null, "deprecated (the Python worker's `BRPOP` timeout): ignored with a warning; MicAi's worker never blocks on Redis, a pub/sub signal wakes it",
            Deprecated = "ignored; MicAi's worker never blocks on Redis (a pub/sub signal wakes it), so nothing replaces it")]
        public const string PythonPollTimeoutSeconds = "MICAI_QUEUE_POLL_TIMEOUT_SECONDS";
    }

    internal static QueueSettings Read(SettingsReader r) => new(
        RedisOptions: r.Convert(Keys.RedisUrl, r.Secret(Keys.RedisUrl), ConnectionStrings.ToRedis, new ConfigurationOptions()),
        KeyPrefix: r.String(Keys.RedisKeyPrefix) is var prefix && prefix.AsSpan().IndexOfAny('{', '}') < 0 ? prefix
            : r.Problem($"{Keys.RedisKeyPrefix} must not contain braces (MicAi adds the hash tag itself), got '{prefix}'", "micai"),
        MaxAttempts: r.Int(Keys.MaxAttempts, min: 1),
        VisibilityTimeout: r.Seconds(Keys.VisibilityTimeoutSeconds, min: 1));

    /// <summary>Never print the Redis password.</summary>
    public override string ToString() => $"QueueSettings {{ Redis = {ConnectionStrings.DescribeRedis(RedisOptions)}, KeyPrefix = {KeyPrefix} }}";
}
