using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace MicAi.Core.Http;

/// <summary>A request body type that names its own field errors (snake_case, as on the wire).</summary>
public interface IValidatable
{
    Dictionary<string, string[]> Validate();
}

/// <summary>
/// A JSON request body of type <typeparamref name="T"/>, read only when <see cref="InputValidationFilter"/> validates it:
/// after the access check, so nobody without the key gets a body parsed. Malformed JSON is a field error named by the
/// JSON path (a 400 ValidationProblem like any other), a body that is JSON null a plain 400. The endpoint documents
/// the body and the 400 itself (<see cref="PopulateMetadata"/>): the OpenAPI document reads them from here.
/// </summary>
public sealed class JsonBody<T> : IRequestInput, IBindableFromHttpContext<JsonBody<T>>, IEndpointParameterMetadataProvider
    where T : class, IValidatable
{
    /// <summary>Largest body read: the biggest valid one (twenty 4,096-character strings) is far smaller.</summary>
    public const int MaxBytes = 1024 * 1024;

    private readonly HttpContext context;
    private T? value;

    private JsonBody(HttpContext context) => this.context = context;

    /// <summary>The valid body; the filter has read and checked it before any handler runs.</summary>
    public T Value => value ?? throw new InvalidOperationException($"{typeof(T).Name} was not validated: is {nameof(InputValidationFilter)} on this endpoint?");

    public static ValueTask<JsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<JsonBody<T>?>(new(context));

    public async ValueTask<IResult?> ValidateAsync(CancellationToken ct)
    {
        using var body = await RequestBody.ReadAsync(context.Request, MaxBytes, ct);
        if (body is null)
            return TypedResults.Problem($"body larger than {MaxBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
        try
        {
            value = JsonSerializer.Deserialize<T>(body.Memory.Span, ApiJson.Options);
        }
        catch (JsonException ex)
        {
            // The path names the offending member: a field error like any other validation failure.
            var field = ex.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : "body";
            return Problems.FieldError(field, $"malformed JSON: {ex.Message}");
        }
        if (value is null) return TypedResults.Problem("a JSON object is required", statusCode: StatusCodes.Status400BadRequest);
        if (StorableText.JsonHoldsNul(body.Memory.Span)) return Problems.FieldError("body", "a string " + StorableText.Problem);
        // Sizes first (declared by [Limit]), then the body's own rules; a field keeps its first error.
        var errors = InputLimits.Check(value);
        foreach (var (field, messages) in value.Validate()) errors.TryAdd(field, messages);
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T)));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ["application/problem+json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status413PayloadTooLarge, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
    }
}
