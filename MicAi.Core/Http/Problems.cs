using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace MicAi.Core.Http;

/// <summary>Problem results with field errors.</summary>
public static class Problems
{
    /// <summary>A 400 ValidationProblem naming one field.</summary>
    public static ValidationProblem FieldError(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>
/// A problem-details result with a fixed status that documents itself: in a <c>Results&lt;…&gt;</c> return type it
/// tells the OpenAPI document that the endpoint answers this status with an RFC 9457 problem. The body is exactly
/// <c>TypedResults.Problem(detail, statusCode)</c>'s.
/// </summary>
public abstract class StatusProblem(string detail, int status) : IResult, IStatusCodeHttpResult
{
    public string Detail => detail;

    public int? StatusCode => status;

    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(detail, statusCode: status).ExecuteAsync(httpContext);

    protected static void Produces(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
}

/// <summary>404: the resource the path names does not exist.</summary>
public sealed class NotFoundProblem(string detail) : StatusProblem(detail, StatusCodes.Status404NotFound), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status404NotFound);
}

/// <summary>409: the request conflicts with the resource's state (the default agent, a dead job already replayed).</summary>
public sealed class ConflictProblem(string detail) : StatusProblem(detail, StatusCodes.Status409Conflict), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status409Conflict);
}

/// <summary>503: a store the operation needs cannot be reached; the caller should retry later.</summary>
public sealed class UnavailableProblem(string detail) : StatusProblem(detail, StatusCodes.Status503ServiceUnavailable), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status503ServiceUnavailable);
}

/// <summary>422: the request is well-formed but cannot be carried out as asked (an Idempotency-Key reused with another body).</summary>
public sealed class UnprocessableProblem(string detail) : StatusProblem(detail, StatusCodes.Status422UnprocessableEntity), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Produces(builder, StatusCodes.Status422UnprocessableEntity);
}
