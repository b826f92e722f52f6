using System.Collections.Concurrent;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Admin;

/// <summary>
/// In-memory Hosts that believe they run on a platform, one per set of platform variables ("RENDER=true;…"),
/// each with the admin allowlist 198.51.100.0/24 and 2001:db8::/32 so a response shows which address was taken.
/// </summary>
public sealed class PlatformHosts : IAsyncLifetime
{
    public const string AllowedCidrs = "198.51.100.0/24, 2001:db8::/32";

    private readonly ConcurrentDictionary<string, Lazy<Task<MicAiApiFactory>>> hosts = new();

    public Task<MicAiApiFactory> GetAsync(string platform) =>
        hosts.GetOrAdd(platform, p => new Lazy<Task<MicAiApiFactory>>(() => StartAsync(p))).Value;

    /// <summary>A fresh Host (own database, Redis prefix, failure counts) with the platform variables and extra settings.</summary>
    public static async Task<MicAiApiFactory> StartAsync(string platform, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/");
        settings["MICAI_ADMIN_ALLOWED_CIDRS"] = AllowedCidrs;
        foreach (var (key, value) in ProxiedAdminRequest.Parse(platform.Replace(';', '|'))) settings[key] = value;
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) settings[key] = value;
        var factory = new MicAiApiFactory(settings);
        _ = factory.Server; // start it now, so a failure shows here
        return factory;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in hosts.Values.Where(h => h.IsValueCreated)) await (await host.Value).DisposeAsync();
    }
}
