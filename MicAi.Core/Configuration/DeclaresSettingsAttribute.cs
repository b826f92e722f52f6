namespace MicAi.Core.Configuration;

/// <summary>
/// Names a capability's <c>Keys</c> class, next to it, for <see cref="SettingsCatalog"/>. Listed by an assembly
/// attribute rather than found by scanning every type: loading every type of Core at start-up also loaded the
/// assemblies they derive from or implement (OpenAPI, Azure Storage, OpenTelemetry, Microsoft.Extensions.AI), megabytes
/// of idle memory in roles that never use them. A test checks that every <c>Keys</c> class is listed.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class DeclaresSettingsAttribute(Type keys) : Attribute
{
    public Type Keys { get; } = keys;
}
