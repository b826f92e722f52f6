using System.Text.Json;
using System.Text.Json.Serialization;

namespace MicAi.Core.Simulator;

/// <summary>Source-generated JSON of the simulator page's API (camelCase, nulls left out).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SimConfig))]
[JsonSerializable(typeof(SimCustomer))]
[JsonSerializable(typeof(IReadOnlyList<SimCustomerSummary>))]
[JsonSerializable(typeof(SimConversation))]
[JsonSerializable(typeof(SimMessage))]
[JsonSerializable(typeof(NewCustomer))]
[JsonSerializable(typeof(NewCustomerMessage))]
public sealed partial class SimulatorJson : JsonSerializerContext;
