using System.Globalization;
using MicAi.Core.Http;

namespace MicAi.Host;

/// <summary>
/// Holds a request that arrives before the start-up migration check has passed (<see cref="SchemaGate"/>): it goes on
/// as soon as the check passes, normally within a fraction of a second; after <see cref="Wait"/> (Postgres not reachable
/// yet) it is answered 503 with Retry-After, so Meta delivers the webhook again later and nothing is lost. GET /health,
/// the liveness probe, is answered here at once, before routing (as ASP.NET Core's own health-check middleware is): the
/// first request otherwise builds the route table of every endpoint, which on two cores shared with the migration
/// check took ~300 ms of a start-up probe's wait (bench: launch → first /health).
/// </summary>
internal static class SchemaGateMiddleware
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private const int RetryAfterSeconds = 5;

    public static WebApplication UseSchemaGate(this WebApplication app)
    {
        var gate = app.Services.GetRequiredService<SchemaGate>();
        app.Use(async (context, next) =>
        {
            if (IsLiveness(context.Request))
            {
                await HealthEndpoints.Alive().ExecuteAsync(context);
                return;
            }
            if (gate.IsOpen || await PassedAsync(gate, context.RequestAborted))
            {
                await next(context);
                return;
            }
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await TypedResults.Problem("The database schema has not been checked yet (Postgres is not reachable, or MicAi is stopping); try again shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "MicAi is not ready").ExecuteAsync(context);
        });
        app.UseRouting(); // after the gate: without this call, routing would run first
        return app;
    }

    private static bool IsLiveness(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.Equals(HealthMapping.LivenessPath, StringComparison.Ordinal);

    private static async Task<bool> PassedAsync(SchemaGate gate, CancellationToken aborted)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        wait.CancelAfter(Wait);
        try { return await gate.WaitAsync(wait.Token); }
        catch (OperationCanceledException) { return false; }
    }
}
