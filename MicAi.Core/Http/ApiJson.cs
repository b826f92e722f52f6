using System.Text.Json;
using System.Text.Json.Serialization;

namespace MicAi.Core.Http;

/// <summary>
/// How the admin API's JSON looks (names and enum values in snake_case, as the Python service had them and as the
/// state columns hold them: <c>"status": "pending"</c>; times ISO 8601). Request bodies
/// are read with these options, and the app's HTTP JSON options take the same naming, so typed results write it and
/// the OpenAPI document describes it. Not a hot path: reflection-based metadata, built once per type.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Gives options the admin API's naming (the app's HTTP JSON options: minimal APIs' typed results use those).</summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }
}
