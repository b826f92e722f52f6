using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace MicAi.Functions;

/// <summary>
/// Runs before a function's class is created, so a closed <see cref="StartupGate"/> never reaches Core services that
/// could not be built (no settings) or a schema not yet migrated. HTTP gets 503 with a Retry-After and a problem naming
/// the reason (setting names only, never values); a timer run logs one line and ends successfully.
/// </summary>
internal sealed class StartupGateMiddleware(StartupGate gate) : IFunctionsWorkerMiddleware
{
    private const int RetryAfterSeconds = 30;

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (gate.Reason is not { } reason)
        {
            await next(context);
            return;
        }
        if (context.GetHttpContext() is { } http)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await TypedResults.Problem(reason, statusCode: StatusCodes.Status503ServiceUnavailable, title: "MicAi is not ready")
                .ExecuteAsync(http);
            context.GetInvocationResult().Value = new EmptyResult(); // the response is written; nothing more to execute
            return;
        }
        FunctionsLog.SkippedNotReady(context.GetLogger(nameof(StartupGateMiddleware)), context.FunctionDefinition.Name, reason);
    }
}
