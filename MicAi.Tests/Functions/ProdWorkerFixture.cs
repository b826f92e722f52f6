using MicAi.Core;
using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace MicAi.Tests.Functions;

/// <summary>
/// The published worker the way infra/ deploys it: MICAI_APP_ENV=prod, every secret from a file named by X_FILE,
/// signed webhooks, no migration at start, and the schema migrated beforehand by the azd predeploy hook.
/// </summary>
public class ProdWorkerFixture(IMessageSink diagnostics) : FunctionsWorkerFixture(diagnostics)
{
    public const string ProdAdminKey = "adm_prod_9f8e7d6c5b4a39281706f5e4d3c2b1a0";

    private readonly string secrets = Directory.CreateTempSubdirectory("micai-func-secrets-").FullName;

    public string HookOutput { get; private set; } = "";

    protected override async Task MigrateAsync(string databaseUrl, NpgsqlDataSource database)
    {
        var (exit, output) = await AzdMigrateHook.RunAsync(databaseUrl);
        HookOutput = output;
        if (exit != 0) throw new InvalidOperationException($"bin/azd-migrate exited {exit}:\n{output}");
    }

    /// <summary>The secret values the worker reads from files (known once the fixture has started).</summary>
    public IReadOnlyDictionary<string, string> SecretValues { get; private set; } = new Dictionary<string, string>();

    /// <summary>The secrets for a worker on <paramref name="databaseUrl"/>; a derived fixture may put the database elsewhere.</summary>
    protected virtual Dictionary<string, string> Secrets(string databaseUrl) => ProdSecrets(databaseUrl);

    protected override Dictionary<string, string> Settings(string databaseUrl, GraphStub graph)
    {
        var values = Secrets(databaseUrl);
        SecretValues = values;
        return ProdSettings(values, graph.BaseUrl, secrets);
    }

    /// <summary>Production-looking secret values (no dev default, no placeholder) for a worker on <paramref name="databaseUrl"/>.</summary>
    public static Dictionary<string, string> ProdSecrets(string databaseUrl) => new(StringComparer.Ordinal)
    {
        [StorageSettings.Keys.DatabaseUrl] = databaseUrl,
        [QueueSettings.Keys.RedisUrl] = TestServers.RedisUrl,
        [AdminSettings.Keys.ApiKey] = ProdAdminKey,
        [WhatsAppSettings.Keys.VerifyToken] = "vt_prod_1a2b3c4d5e6f",
        [WhatsAppSettings.Keys.AccessToken] = "EAAGprodLookingAccessToken0123456789",
        [WhatsAppSettings.Keys.PhoneNumberId] = Webhooks.PhoneNumberId,
        [WhatsAppSettings.Keys.AppSecret] = Webhooks.AppSecret,
    };

    /// <summary>Production-shaped app settings; every secret is written to a file in <paramref name="secrets"/> and named by X_FILE.</summary>
    public static Dictionary<string, string> ProdSettings(string databaseUrl, string graphBaseUrl, string secrets) =>
        ProdSettings(ProdSecrets(databaseUrl), graphBaseUrl, secrets);

    public static Dictionary<string, string> ProdSettings(IReadOnlyDictionary<string, string> secretValues, string graphBaseUrl, string secrets)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AppSettings.Keys.AppEnv] = "prod",
            [WhatsAppSettings.Keys.GraphBaseUrl] = graphBaseUrl,
            [OutboundSettings.Keys.ReplyEnabled] = "true",
            [QueueSettings.Keys.RedisKeyPrefix] = TestServers.NewRedisPrefix(),
        };
        foreach (var (key, file) in SecretFiles.Write(secrets, secretValues)) settings[key] = file;
        foreach (var (key, value) in SampleSchedules()) settings[key] = value;
        return settings;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(secrets, recursive: true);
    }
}
