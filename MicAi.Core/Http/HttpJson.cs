using System.Text.Json;
using System.Text.Json.Serialization;

namespace MicAi.Core.Http;

/// <summary>Source-generated JSON for /health and /ready: answered often, by probes.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthStatus))]
public sealed partial class HttpJson : JsonSerializerContext;
