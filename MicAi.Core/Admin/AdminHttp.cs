using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MicAi.Core.Admin;

/// <summary>Request reading and problem results shared by the admin handlers.</summary>
internal static class AdminHttp
{
    public const int MaxLimit = 200;

    public static T Use<T>(this HttpContext context) where T : notnull => context.RequestServices.GetRequiredService<T>();

    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> type)
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
            return value is null ? (default, TypedResults.Problem("a JSON object is required", statusCode: 400)) : (value, null);
        }
        catch (JsonException ex)
        {
            // The path names the offending member: a field error like any other validation failure.
            var field = ex.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : "body";
            return (default, Invalid(field, $"malformed JSON: {ex.Message}"));
        }
    }

    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult NotFound(string what) => TypedResults.Problem($"{what} does not exist", statusCode: 404);

    public static string Route(HttpContext context, string name) => context.Request.RouteValues[name] as string ?? "";

    /// <summary>A numeric id from the route; an id that is not a number names nothing, so it is a 404.</summary>
    public static bool TryRouteId(HttpContext context, string name, string what, out long id, out IResult? problem)
    {
        problem = null;
        if (long.TryParse(Route(context, name), NumberStyles.None, CultureInfo.InvariantCulture, out id)) return true;
        problem = NotFound($"{what} '{Route(context, name)}'");
        return false;
    }

    /// <summary>One resource by the numeric id in the route: its JSON, or 404 when the id names nothing.</summary>
    public static async Task<IResult> GetByIdAsync<T>(
        HttpContext context, string name, string what, Func<long, CancellationToken, Task<T?>> load, JsonTypeInfo<T> json) where T : class
    {
        if (!TryRouteId(context, name, what, out var id, out var problem)) return problem!;
        return await load(id, context.RequestAborted) is { } item ? TypedResults.Json(item, json) : NotFound($"{what} {id}");
    }

    /// <summary>limit (1–200, default 50) and offset (≥ 0) from the query string.</summary>
    public static bool TryPaging(HttpContext context, out int limit, out int offset, out IResult? problem)
    {
        var errors = new Dictionary<string, string[]>();
        limit = Int(context, "limit", 50, 1, MaxLimit, errors);
        offset = Int(context, "offset", 0, 0, int.MaxValue, errors);
        problem = errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
        return problem is null;
    }

    public static string? Query(HttpContext context, string name) =>
        context.Request.Query[name].ToString() is { Length: > 0 } v ? v : null;

    private static int Int(HttpContext context, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (Query(context, name) is not { } raw) return fallback;
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        errors[name] = [$"must be a whole number from {min} to {max}"];
        return fallback;
    }

    /// <summary>A page of items: next_offset is null on the last page.</summary>
    public static int? NextOffset(int count, int limit, int offset) => count < limit ? null : offset + limit;
}
