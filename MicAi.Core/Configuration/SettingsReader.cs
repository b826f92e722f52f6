using System.Globalization;

namespace MicAi.Core.Configuration;

/// <summary>Reads typed values and collects every problem instead of stopping at the first one.</summary>
internal sealed class SettingsReader
{
    private readonly List<string> problems = [];
    private readonly List<string> unresolved = [];
    private readonly Func<string, string?> lookup;
    private readonly SecretSource secrets;

    public SettingsReader(Func<string, string?> variable, SecretSource secrets)
    {
        lookup = variable;
        this.secrets = secrets;
    }

    /// <summary>The value of a variable; an unresolved Key Vault reference is recorded by name and reads as unset.</summary>
    private string? Variable(string key)
    {
        var value = lookup(key);
        if (!KeyVaultReference.IsUnresolved(value)) return value;
        Unresolved(key);
        return null;
    }

    public string? Secret(string key, bool prod, bool required)
    {
        var secret = secrets.Resolve(Variable, key);
        if (secret.Problem is not null) { problems.Add(secret.Problem); return null; }
        // A secret file can hold a reference too (a platform that writes files from the same app settings).
        if (KeyVaultReference.IsUnresolved(secret.Value)) Unresolved(key);
        if (unresolved.Contains(key) || unresolved.Contains(key + "_FILE")) return null; // reported once, not also as missing
        var value = secret.Value?.Trim();
        if (!prod || !required) return string.IsNullOrEmpty(value) ? null : value;

        if (value is null) problems.Add($"{key} is missing");
        else if (value.Length == 0) problems.Add($"{key} is empty");
        else if (value.StartsWith("change-me", StringComparison.OrdinalIgnoreCase)) problems.Add($"{key} is still a change-me placeholder");
        else if (MicAiSettings.DevDefaults.TryGetValue(key, out var dev) && dev == value) problems.Add($"{key} is the development default");
        else return value;
        return null;
    }

    // Blank counts as unset, as for every other type: "  " must not become an empty Graph version or key prefix.
    public string String(string key, string fallback) => Variable(key) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : fallback;

    public IReadOnlyList<string> List(string key, string fallback)
    {
        var items = String(key, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length > 0) return items;
        // "," would leave an empty list: with the invoke prefix required, the bot would silently never answer.
        problems.Add($"{key} must list at least one comma-separated value, got '{Variable(key)}'");
        return fallback.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public bool Bool(string key, bool fallback) => OptionalBool(key) ?? fallback;

    /// <summary>Null when unset, so the caller can tell "not said" from "false".</summary>
    public bool? OptionalBool(string key)
    {
        var raw = Variable(key);
        if (string.IsNullOrWhiteSpace(raw)) return null;
        switch (raw.Trim().ToLowerInvariant())
        {
            case "1" or "true" or "yes" or "on": return true;
            case "0" or "false" or "no" or "off": return false;
            default: problems.Add($"{key} must be true or false, got '{raw}'"); return null;
        }
    }

    public int Int(string key, int fallback, int min)
    {
        var raw = Variable(key);
        if (string.IsNullOrWhiteSpace(raw)) return fallback;
        if (int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min) return value;
        problems.Add($"{key} must be a whole number >= {min}, got '{raw}'");
        return fallback;
    }

    public TEnum Enum<TEnum>(string key, TEnum fallback) where TEnum : struct, System.Enum
    {
        var raw = Variable(key);
        if (string.IsNullOrWhiteSpace(raw)) return fallback;
        if (System.Enum.TryParse<TEnum>(raw.Trim(), ignoreCase: true, out var value) && System.Enum.IsDefined(value)) return value;
        problems.Add($"{key} must be one of {string.Join('|', System.Enum.GetNames<TEnum>()).ToLowerInvariant()}, got '{raw}'");
        return fallback;
    }

    public Uri AbsoluteUri(string key, string fallback)
    {
        var raw = String(key, fallback);
        if (!raw.EndsWith('/')) raw += "/"; // so relative "v24.0/…" appends instead of replacing the last segment
        if (Uri.TryCreate(raw, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
        problems.Add($"{key} must be an absolute http(s) URL, got '{raw}'");
        return new Uri(fallback);
    }

    public T Convert<T>(string key, string raw, Func<string, T> convert, T fallback)
    {
        if (raw.Length == 0) return fallback; // already reported as missing
        try { return convert(raw); }
        catch (ConnectionSettingException ex)
        {
            problems.Add($"{key} is not usable: {ex.Message}");
            return fallback;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException or KeyNotFoundException)
        {
            problems.Add($"{key} is not a valid URL or connection string ({ex.GetType().Name})");
            return fallback;
        }
    }

    /// <summary>Records a problem found by the caller's own check and returns the fallback.</summary>
    public T Problem<T>(string problem, T fallback)
    {
        problems.Add(problem);
        return fallback;
    }

    public void ThrowIfProblems(AppEnvironment environment)
    {
        if (problems.Count > 0) throw new InvalidSettingsException(environment, problems, unresolved);
    }

    private void Unresolved(string key)
    {
        if (unresolved.Contains(key)) return;
        unresolved.Add(key);
        problems.Add($"{key} is a Key Vault reference the platform has not resolved yet (check the app identity's access to the vault)");
    }
}
