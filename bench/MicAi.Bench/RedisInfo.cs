using MicAi.Core.Configuration;
using StackExchange.Redis;

namespace MicAi.Bench;

/// <summary>INFO sections of the bench's Redis (an admin command: the Host's connections never use it).</summary>
public static class RedisInfo
{
    public static async Task<Dictionary<string, string>> ReadAsync(string url, string section)
    {
        var options = ConnectionStrings.ToRedis(url);
        options.AllowAdmin = true;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        return (await redis.GetServers()[0].InfoAsync(section)).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
    }
}
