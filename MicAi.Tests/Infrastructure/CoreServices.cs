using MicAi.Core;
using MicAi.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// Core's real composition (AddMicAiCore) without a web host, for storage, queue and scheduler tests.
/// Each instance gets a fresh database and Redis key prefix.
/// </summary>
public sealed class CoreServices : IAsyncDisposable
{
    private readonly IHost host;

    private CoreServices(IHost host, Dictionary<string, string?> settings) { this.host = host; Settings = settings; }

    public Dictionary<string, string?> Settings { get; }
    public IServiceProvider Services => host.Services;
    public T Get<T>() where T : notnull => host.Services.GetRequiredService<T>();

    public static async Task<CoreServices> StartAsync(
        string graphBaseUrl = "http://127.0.0.1:9/", TimeProvider? time = null, Action<Dictionary<string, string?>>? configure = null,
        bool migrate = true, Action<IServiceCollection>? services = null)
    {
        var settings = await MicAiApiFactory.DefaultSettingsAsync(graphBaseUrl);
        configure?.Invoke(settings);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.AddMicAiCore(new SecretSource(Path.Combine(Path.GetTempPath(), "micai-no-secrets")));
        if (time is not null) builder.Services.Replace(ServiceDescriptor.Singleton(time));
        services?.Invoke(builder.Services);
        var host = builder.Build();
        var core = new CoreServices(host, settings);
        if (migrate) await core.Get<Core.Storage.Migrator>().ApplyAsync(CancellationToken.None);
        return core;
    }

    public async ValueTask DisposeAsync()
    {
        if (host is IAsyncDisposable d) await d.DisposeAsync(); else host.Dispose();
    }
}
