using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Core.Storage;
using MicAi.Core.WhatsApp;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// The real Host (api role) in memory over a fresh database and Redis prefix. Settings go in through UseSetting,
/// which the minimal-hosting builder sees before Program reads its configuration; they are the only Host settings
/// it sees (the runner's MICAI_* variables are out of the environment while it is built, see RunnerEnvironment).
/// </summary>
public sealed class MicAiApiFactory(IReadOnlyDictionary<string, string?> settings, TimeProvider? time = null) : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string VerifyToken = "test-verify-token";
    public const string AccessToken = "test-access-token";

    public static async Task<Dictionary<string, string?>> DefaultSettingsAsync(string graphBaseUrl) => new()
    {
        [AppSettings.Keys.AppEnv] = "test",
        [StorageSettings.Keys.DatabaseUrl] = await TestServers.CreateDatabaseAsync(),
        [QueueSettings.Keys.RedisUrl] = TestServers.RedisUrl,
        [QueueSettings.Keys.RedisKeyPrefix] = TestServers.NewRedisPrefix(),
        [AdminSettings.Keys.ApiKey] = AdminKey,
        [WhatsAppSettings.Keys.VerifyToken] = VerifyToken,
        [WhatsAppSettings.Keys.AccessToken] = AccessToken,
        [WhatsAppSettings.Keys.PhoneNumberId] = Webhooks.PhoneNumberId,
        [WhatsAppSettings.Keys.AppSecret] = Webhooks.AppSecret,
        [WhatsAppSettings.Keys.GraphBaseUrl] = graphBaseUrl,
        [OutboundSettings.Keys.ReplyEnabled] = "true",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        // MICAI_TEST_LOGS=1 shows the app's own logs when a test needs explaining.
        if (Environment.GetEnvironmentVariable("MICAI_TEST_LOGS") != "1")
            builder.ConfigureLogging(l => l.ClearProviders().SetMinimumLevel(LogLevel.Warning));
        if (time is not null) builder.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton(time)));
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = RunnerEnvironment.WithoutHostSettings(builder.Build); // Program reads its settings while it builds
        host.Start();
        // The api listens while it checks the schema (SchemaGate); a test reads and writes tables as soon as it has the
        // factory, so the factory is ready when the schema is, as a deployed api is ready when /ready says so.
        if (!host.Services.GetRequiredService<MicAi.Host.SchemaGate>().WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult())
            throw new InvalidOperationException("the api stopped before its start-up migration check passed");
        return host;
    }

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("x-admin-key", AdminKey);
        return client;
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
}
