using MicAi.Core.Configuration;
using MicAi.Core.Queue;
using MicAi.Tests.Outbox;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace MicAi.Tests.Infrastructure;

/// <summary>
/// Tests that must hold on bin/test's Redis and on a Redis Cluster alike: an abstract contract class derives from
/// this and holds the facts; one sealed subclass per target names the URL (xunit runs every inherited fact in each).
/// </summary>
public abstract class OnRedis
{
    /// <summary>bin/test's standalone Redis, or a <see cref="PrivateRedisCluster"/>'s first node.</summary>
    protected abstract string RedisUrl { get; }

    protected Task<CoreServices> CoreAsync(
        TimeProvider? time = null, Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null) =>
        CoreServices.StartAsync(time: time, services: services, configure: s =>
        {
            s[QueueSettings.Keys.RedisUrl] = RedisUrl;
            configure?.Invoke(s);
        });

    protected Task<OutboxHost> OutboxAsync(Action<Dictionary<string, string?>>? configure = null) =>
        OutboxHost.StartAsync(s =>
        {
            s[QueueSettings.Keys.RedisUrl] = RedisUrl;
            configure?.Invoke(s);
        });

    protected async Task<Dictionary<string, string?>> HostEnvironmentAsync(string graphBaseUrl)
    {
        var env = await MicAiApiFactory.DefaultSettingsAsync(graphBaseUrl);
        env[QueueSettings.Keys.RedisUrl] = RedisUrl;
        return env;
    }

    protected Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(ConnectionStrings.ToRedis(RedisUrl));
}
