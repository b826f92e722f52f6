namespace MicAi.Core.Configuration;

/// <summary>
/// Where secret values come from besides plain variables: files named by <c>X_FILE</c> and the
/// container secrets folder. A seam so tests can point at a temporary folder instead of /run/secrets.
/// </summary>
public sealed class SecretSource(string secretsDirectory)
{
    public static SecretSource Default { get; } = new("/run/secrets");

    public string SecretsDirectory { get; } = secretsDirectory;

    /// <summary>
    /// Resolves <paramref name="name"/> in the documented order: <c>NAME_FILE</c>, then <c>NAME</c>, then
    /// <c>/run/secrets/name-without-MICAI_-in-lower-case</c>. An empty secret file is an error, not "unset".
    /// </summary>
    public SecretValue Resolve(Func<string, string?> variable, string name)
    {
        var filePath = variable(name + "_FILE");
        if (!string.IsNullOrWhiteSpace(filePath))
            return ReadFile(filePath, name + "_FILE");

        var value = variable(name);
        if (value is not null)
            return new SecretValue(value, name, null);

        var secretPath = Path.Combine(SecretsDirectory, SecretFileName(name));
        return File.Exists(secretPath) ? ReadFile(secretPath, name) : new SecretValue(null, name, null);
    }

    public static string SecretFileName(string name) =>
        (name.StartsWith("MICAI_", StringComparison.Ordinal) ? name["MICAI_".Length..] : name).ToLowerInvariant();

    private static SecretValue ReadFile(string path, string origin)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length == 0
                ? new SecretValue(null, origin, $"{origin}: secret file {path} is empty")
                : new SecretValue(text, origin, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new SecretValue(null, origin, $"{origin}: cannot read secret file {path} ({ex.Message})");
        }
    }
}

/// <summary>A resolved secret: its value (null when absent), where it came from, and a problem if reading failed.</summary>
public readonly record struct SecretValue(string? Value, string Origin, string? Problem);
