using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Http;

/// <summary>
/// Something an endpoint takes from the request (a JSON body, query values) that binds without ever failing and checks
/// itself afterwards. <see cref="InputValidationFilter"/> asks it once access has been granted, so a caller without the
/// key learns nothing about its input and a handler only ever sees valid input.
/// </summary>
public interface IRequestInput
{
    /// <summary>The 400 problem for what is wrong (field errors as a ValidationProblem), or null when the input is valid.</summary>
    ValueTask<IResult?> ValidateAsync(CancellationToken ct);
}

/// <summary>
/// Answers a query value holding U+0000 (<see cref="StorableText"/>; Kestrel itself refuses it in the path), then the
/// first invalid <see cref="IRequestInput"/> argument, with its problem before the handler runs.
/// </summary>
public sealed class InputValidationFilter : IEndpointFilter
{
    public static readonly InputValidationFilter Instance = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (UnstorableQueryValue(context.HttpContext.Request.Query) is { } field) return Problems.FieldError(field, StorableText.Problem);
        foreach (var argument in context.Arguments)
        {
            if (argument is IRequestInput input && await input.ValidateAsync(context.HttpContext.RequestAborted) is { } problem)
                return problem;
        }
        return await next(context);
    }

    private static string? UnstorableQueryValue(IQueryCollection query)
    {
        foreach (var (name, values) in query)
            if (values.Any(StorableText.HoldsNul)) return name;
        return null;
    }
}
