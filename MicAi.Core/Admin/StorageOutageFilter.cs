using MicAi.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Admin;

/// <summary>An admin operation that cannot reach Postgres answers 503 (retry later), never 500.</summary>
public sealed class StorageOutageFilter : IEndpointFilter
{
    public static readonly StorageOutageFilter Instance = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (StorageFailure.IsUnavailable(ex))
        {
            return TypedResults.Problem("storage unavailable, retry later", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
