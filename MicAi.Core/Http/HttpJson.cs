using System.Text.Json;
using System.Text.Json.Serialization;

namespace MicAi.Core.Http;

/// <summary>Source-generated JSON for the hot responses: no reflection on the webhook path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookAccepted))]
[JsonSerializable(typeof(HealthStatus))]
public sealed partial class HttpJson : JsonSerializerContext;
