using StackExchange.Redis;

namespace MicAi.Core.Configuration;

/// <summary>
/// All settings, read once at start-up into an immutable record. <see cref="Load"/> reports every problem in one
/// <see cref="InvalidSettingsException"/>, so an operator fixes a prod deployment in one pass.
/// </summary>
public sealed record MicAiSettings(
    AppEnvironment Environment,
    string PostgresConnectionString,
    ConfigurationOptions RedisOptions,
    string AdminApiKey,
    WhatsAppSettings WhatsApp,
    bool OutboundReplyEnabled,
    bool RequireInvokePrefix,
    IReadOnlyList<string> InvokePrefixes,
    int FreeformWindowHours,
    int QueueMaxAttempts,
    int WorkerConcurrency,
    int Port,
    long WebhookMaxBodyBytes,
    string RedisKeyPrefix,
    OutboundSettings Outbound)
{
    public const string DefaultGraphVersion = "v24.0";

    /// <summary>Values that let <c>bin/dev</c> run with no setup; refused in prod.</summary>
    public static readonly IReadOnlyDictionary<string, string> DevDefaults = new Dictionary<string, string>
    {
        [Keys.DatabaseUrl] = "postgresql://micai:micai@127.0.0.1:5432/micai",
        [Keys.RedisUrl] = "redis://127.0.0.1:6379/0",
        [Keys.AdminApiKey] = "dev-admin-key",
        [Keys.VerifyToken] = "dev-verify-token",
        [Keys.AccessToken] = "dev-access-token",
        [Keys.PhoneNumberId] = "dev-phone-number-id",
    };

    /// <summary>Required in prod: missing, empty, a dev default or a change-me-* placeholder stops the process.</summary>
    public static readonly IReadOnlyList<string> RequiredInProd =
    [
        Keys.DatabaseUrl, Keys.RedisUrl, Keys.AdminApiKey, Keys.VerifyToken,
        Keys.AccessToken, Keys.PhoneNumberId, Keys.AppSecret,
    ];

    public bool IsProd => Environment == AppEnvironment.Prod;

    public ReliabilitySettings Reliability { get; init; } = ReliabilitySettings.Default;

    /// <summary>
    /// <c>MICAI_DATABASE_DIRECT_URL</c>: the Postgres server itself when <see cref="PostgresConnectionString"/> goes
    /// through a transaction-mode pooler; migrations (a session-level advisory lock) use it. Null: the main URL is
    /// the server, used for everything.
    /// </summary>
    public string? PostgresDirectConnectionString { get; init; }

    /// <summary>
    /// MICAI_MIGRATE_ON_START; null leaves it to the adapter: every Host role migrates at start, a Functions instance
    /// does not (a cold start on every instance is no place for it: the azd predeploy hook runs the migrate role).
    /// </summary>
    public bool? MigrateOnStart { get; init; }

    public static MicAiSettings Load(Func<string, string?> variable, SecretSource secrets)
    {
        var r = new SettingsReader(variable, secrets);
        var env = r.Enum(Keys.AppEnv, AppEnvironment.Dev);
        var prod = env == AppEnvironment.Prod;

        string Secret(string key, bool required = true) => r.Secret(key, prod, required) ?? DevDefaults.GetValueOrDefault(key, "");

        var databaseUrl = Secret(Keys.DatabaseUrl);
        var databaseDirectUrl = r.Secret(Keys.DatabaseDirectUrl, prod, required: false);
        var redisUrl = Secret(Keys.RedisUrl);
        var appSecret = r.Secret(Keys.AppSecret, prod, required: true);
        var whatsApp = new WhatsAppSettings(
            VerifyToken: Secret(Keys.VerifyToken),
            AccessToken: Secret(Keys.AccessToken),
            PhoneNumberId: Secret(Keys.PhoneNumberId),
            AppSecret: string.IsNullOrEmpty(appSecret) ? null : appSecret,
            GraphBaseUrl: r.AbsoluteUri(Keys.GraphBaseUrl, "https://graph.facebook.com/"),
            GraphVersion: r.String(Keys.GraphVersion, DefaultGraphVersion),
            ReplyThreading: r.Bool(Keys.ReplyThreading, true),
            MarkAsRead: r.Bool(Keys.MarkAsRead, true));

        var settings = new MicAiSettings(
            Environment: env,
            PostgresConnectionString: r.Convert(Keys.DatabaseUrl, databaseUrl, ConnectionStrings.ToNpgsql, ""),
            RedisOptions: r.Convert(Keys.RedisUrl, redisUrl, ConnectionStrings.ToRedis, new ConfigurationOptions()),
            AdminApiKey: Secret(Keys.AdminApiKey),
            WhatsApp: whatsApp,
            OutboundReplyEnabled: r.Bool(Keys.OutboundReplyEnabled, false),
            RequireInvokePrefix: r.Bool(Keys.RequireInvokePrefix, true),
            InvokePrefixes: r.List(Keys.InvokePrefixes, "michael:,@michael,/ask"),
            FreeformWindowHours: r.Int(Keys.FreeformWindowHours, 24, min: 1),
            QueueMaxAttempts: r.Int(Keys.QueueMaxAttempts, 5, min: 1),
            WorkerConcurrency: r.Int(Keys.WorkerConcurrency, 16, min: 1),
            Port: r.Int(Keys.Port, 8000, min: 1),
            WebhookMaxBodyBytes: r.Int(Keys.WebhookMaxBodyBytes, 1024 * 1024, min: 1024),
            RedisKeyPrefix: r.String(Keys.RedisKeyPrefix, "micai") is var prefix && prefix.AsSpan().IndexOfAny('{', '}') < 0 ? prefix
                : r.Problem($"{Keys.RedisKeyPrefix} must not contain braces (MicAi adds the hash tag itself), got '{prefix}'", "micai"),
            Outbound: new OutboundSettings(
                OutOfWindowTemplate: r.String(Keys.OutOfWindowTemplate, "") is { Length: > 0 } template ? template : null,
                TemplateLanguage: r.String(Keys.TemplateLanguage, "en_US"),
                RatePerSecond: r.Int(Keys.OutboundRatePerSecond, 80, min: 1),
                RecipientMinInterval: TimeSpan.FromMilliseconds(r.Int(Keys.RecipientMinIntervalMs, 1000, min: 0))))
        {
            Reliability = ReliabilitySettings.Read(r),
            PostgresDirectConnectionString = databaseDirectUrl is null ? null : r.Convert(Keys.DatabaseDirectUrl, databaseDirectUrl, ConnectionStrings.ToNpgsql, null as string),
            MigrateOnStart = r.OptionalBool(Keys.MigrateOnStart),
        };

        r.ThrowIfProblems(env);
        return settings;
    }

    /// <summary>Never print secrets: the default record ToString would.</summary>
    public override string ToString() =>
        $"MicAiSettings {{ Environment = {Environment}, Redis = {ConnectionStrings.DescribeRedis(RedisOptions)}, {WhatsApp}, OutboundReplyEnabled = {OutboundReplyEnabled} }}";

    /// <summary>Variable names, kept from the Python service so existing deployments carry over.</summary>
    public static class Keys
    {
        public const string AppEnv = "MICAI_APP_ENV";
        public const string DatabaseUrl = "MICAI_DATABASE_URL";
        public const string DatabaseDirectUrl = "MICAI_DATABASE_DIRECT_URL";
        public const string RedisUrl = "MICAI_REDIS_URL";
        public const string AdminApiKey = "MICAI_ADMIN_API_KEY";
        public const string VerifyToken = "MICAI_WHATSAPP_VERIFY_TOKEN";
        public const string AccessToken = "MICAI_WHATSAPP_ACCESS_TOKEN";
        public const string PhoneNumberId = "MICAI_WHATSAPP_PHONE_NUMBER_ID";
        public const string AppSecret = "MICAI_WHATSAPP_APP_SECRET";
        public const string GraphBaseUrl = "MICAI_WHATSAPP_GRAPH_BASE_URL";
        public const string GraphVersion = "MICAI_WHATSAPP_GRAPH_VERSION";
        public const string ReplyThreading = "MICAI_REPLY_THREADING";
        public const string MarkAsRead = "MICAI_MARK_AS_READ";
        public const string OutboundReplyEnabled = "MICAI_OUTBOUND_REPLY_ENABLED";
        public const string RequireInvokePrefix = "MICAI_REQUIRE_INVOKE_PREFIX";
        public const string InvokePrefixes = "MICAI_INVOKE_PREFIXES";
        public const string FreeformWindowHours = "MICAI_FREEFORM_WINDOW_HOURS";
        public const string QueueMaxAttempts = "MICAI_QUEUE_MAX_ATTEMPTS";
        public const string WorkerConcurrency = "MICAI_WORKER_CONCURRENCY";
        public const string Port = "PORT";
        public const string WebhookMaxBodyBytes = "MICAI_WEBHOOK_MAX_BODY_BYTES";
        public const string RedisKeyPrefix = "MICAI_REDIS_KEY_PREFIX";
        public const string OutOfWindowTemplate = "MICAI_OUT_OF_WINDOW_TEMPLATE";
        public const string TemplateLanguage = "MICAI_TEMPLATE_LANGUAGE";
        public const string OutboundRatePerSecond = "MICAI_OUTBOUND_RATE_PER_SECOND";
        public const string RecipientMinIntervalMs = "MICAI_RECIPIENT_MIN_INTERVAL_MS";
        public const string Role = "MICAI_ROLE";
        public const string QueueVisibilityTimeoutSeconds = "MICAI_QUEUE_VISIBILITY_TIMEOUT_SECONDS";
        public const string ShutdownTimeoutSeconds = "MICAI_SHUTDOWN_TIMEOUT_SECONDS";
        public const string SchedulerLeaseSeconds = "MICAI_SCHEDULER_LEASE_SECONDS";
        public const string MigrateOnStart = "MICAI_MIGRATE_ON_START";
        public const string SettingsRecheckSeconds = "MICAI_SETTINGS_RECHECK_SECONDS";
    }
}
