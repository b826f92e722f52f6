using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using StackExchange.Redis;

namespace MicAi.Core.Http;

public sealed record HealthStatus(string Status, string? Postgres = null, string? Redis = null);

/// <summary>/health is liveness (unchanged contract: {"status":"ok"}); /ready checks Postgres and Redis.</summary>
public sealed class HealthEndpoints(NpgsqlDataSource db, IConnectionMultiplexer redis)
{

    private static readonly HealthStatus Ok = new("ok");

    public IResult Health() => Alive();

    /// <summary>The liveness answer, {"status":"ok"}: also written by the Host before routing (SchemaGateMiddleware).</summary>
    public static IResult Alive() => TypedResults.Json(Ok, HttpJson.Default.HealthStatus);

    public async Task<IResult> ReadyAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        var postgres = await CheckAsync(async () =>
        {
            await using var cmd = db.CreateCommand("SELECT 1");
            await cmd.ExecuteScalarAsync(timeout.Token);
        });
        var redisState = await CheckAsync(async () => await redis.GetDatabase().PingAsync().WaitAsync(timeout.Token));
        var ready = postgres == "ok" && redisState == "ok";
        return TypedResults.Json(new HealthStatus(ready ? "ready" : "unavailable", postgres, redisState), HttpJson.Default.HealthStatus,
            statusCode: ready ? 200 : 503);
    }

    private static async Task<string> CheckAsync(Func<Task> probe)
    {
        try { await probe(); return "ok"; }
        catch (Exception ex) { return "unavailable: " + ex.GetType().Name; }
    }
}

public static class HealthMapping
{
    /// <summary>The liveness probe's path (the Host also answers it before routing).</summary>
    public const string LivenessPath = "/health";

    /// <summary>GET /health and GET /ready (probes: answered often, no filters).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet(LivenessPath, (HealthEndpoints h) => h.Health());
        app.MapGet("/ready", (HealthEndpoints h, CancellationToken ct) => h.ReadyAsync(ct));
        return app;
    }
}
