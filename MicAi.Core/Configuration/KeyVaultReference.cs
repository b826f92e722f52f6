namespace MicAi.Core.Configuration;

/// <summary>
/// App Service and Azure Functions replace an app setting of the form <c>@Microsoft.KeyVault(...)</c> with the secret
/// before the process starts; when they cannot (the identity is not granted yet, the vault or secret is missing), the
/// process sees the reference text itself. Such a value is never a usable setting: it is reported by name (never
/// quoted) as not resolved yet, and the process waits for it instead of failing as misconfigured.
/// </summary>
public static class KeyVaultReference
{
    private const string Prefix = "@Microsoft.KeyVault(";

    public static bool IsUnresolved(string? value) =>
        value is not null && value.AsSpan().TrimStart().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
}
