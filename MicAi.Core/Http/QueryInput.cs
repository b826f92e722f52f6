using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace MicAi.Core.Http;

/// <summary>A query-string parameter an input type reads, for the OpenAPI document: name, CLR type, meaning.</summary>
/// Minimum and Maximum, when set, are the range the input enforces, stated in the parameter's schema.
public sealed record QueryParameter(string Name, Type Type, string Description, long? Minimum = null, long? Maximum = null);

/// <summary>
/// Values from the query string, read without ever failing binding: a bad value becomes a field error that
/// <see cref="InputValidationFilter"/> answers with a 400 ValidationProblem. Unset or empty values take the default.
/// Subclasses declare what they read with <see cref="Declare"/>, since the OpenAPI generator cannot see into a
/// custom-bound parameter.
/// </summary>
public abstract class QueryInput(IQueryCollection query) : IRequestInput
{
    private readonly Dictionary<string, string[]> errors = [];

    public ValueTask<IResult?> ValidateAsync(CancellationToken ct) =>
        ValueTask.FromResult<IResult?>(errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null);

    protected string? Text(string name) => query[name].ToString() is { Length: > 0 } value ? value : null;

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="fallback"/> when unset.</summary>
    protected int Int(string name, int fallback, int min, int max)
    {
        if (Text(name) is not { } raw) return fallback;
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        return Error(name, $"must be a whole number from {min} to {max}", fallback);
    }

    protected long? Long(string name, string message)
    {
        if (Text(name) is not { } raw) return null;
        return long.TryParse(raw, CultureInfo.InvariantCulture, out var v) ? v : Error<long?>(name, message, null);
    }

    protected bool? Bool(string name, string message)
    {
        if (Text(name) is not { } raw) return null;
        return bool.TryParse(raw, out var v) ? v : Error<bool?>(name, message, null);
    }

    protected T Error<T>(string name, string message, T fallback)
    {
        errors[name] = [message];
        return fallback;
    }

    /// <summary>Declares the query parameters and the 400 for an endpoint taking this input (its PopulateMetadata).</summary>
    protected static void Declare(EndpointBuilder builder, params QueryParameter[] parameters)
    {
        foreach (var parameter in parameters) builder.Metadata.Add(parameter);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ["application/problem+json"]));
    }
}

/// <summary>limit (1–200, default 50) and offset (≥ 0, default 0): one page of a list, oldest or newest first as the list says.</summary>
public sealed class Paging : QueryInput, IBindableFromHttpContext<Paging>, IEndpointParameterMetadataProvider
{
    public const int MaxLimit = 200;

    private Paging(IQueryCollection query) : base(query)
    {
        Limit = Int("limit", 50, 1, MaxLimit);
        Offset = Int("offset", 0, 0, int.MaxValue);
    }

    public int Limit { get; }

    public int Offset { get; }

    /// <summary>Where the next page starts: null on the last page (fewer items than the limit).</summary>
    public int? NextOffset(int count) => count < Limit ? null : Offset + Limit;

    public static ValueTask<Paging?> BindAsync(HttpContext context, System.Reflection.ParameterInfo parameter) =>
        ValueTask.FromResult<Paging?>(new(context.Request.Query));

    public static void PopulateMetadata(System.Reflection.ParameterInfo parameter, EndpointBuilder builder) => Declare(builder,
        new("limit", typeof(int), $"items per page, 1 to {MaxLimit} (default 50)", 1, MaxLimit),
        new("offset", typeof(int), "items to skip (default 0); a page's next_offset is the next page's offset", 0, int.MaxValue));
}
