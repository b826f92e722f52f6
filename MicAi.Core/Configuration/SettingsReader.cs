using System.Globalization;

namespace MicAi.Core.Configuration;

/// <summary>
/// The one reader of settings: every capability reads its own through it, by the names it declared
/// (<see cref="SettingAttribute"/>), with the declared default. It collects every problem instead of stopping at the
/// first, so an operator fixes a deployment in one pass; <see cref="ThrowIfProblems"/> reports them all at once.
/// </summary>
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
        Environment = Enum<AppEnvironment>(AppSettings.Keys.AppEnv);
        Deprecations = SettingsCatalog.All.Where(s => s.Declaration.Deprecated is not null && IsSet(s.Name))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => $"{s.Name} is a Python mic.ai setting MicAi no longer reads: {s.Declaration.Deprecated}").ToArray();
    }

    /// <summary>One line per deprecated setting that is set (<see cref="SettingAttribute.Deprecated"/>), for a warning.</summary>
    public IReadOnlyList<string> Deprecations { get; }

    /// <summary>MICAI_APP_ENV, read first: prod's checks of required values depend on it.</summary>
    public AppEnvironment Environment { get; }

    public bool IsProd => Environment == AppEnvironment.Prod;

    /// <summary>The value of a variable; an unresolved Key Vault reference is recorded by name and reads as unset.</summary>
    private string? Variable(string key)
    {
        var value = lookup(key);
        if (!KeyVaultReference.IsUnresolved(value)) return value;
        Unresolved(key);
        return null;
    }

    /// <summary>
    /// A secret (<c>X_FILE</c> → <c>X</c> → <c>/run/secrets/x</c>). Outside prod, unset falls back to the declared
    /// default (the dev value); in prod a value required there that is missing, empty, the dev default or a
    /// change-me placeholder is a problem (null is returned).
    /// </summary>
    public string? Secret(string key)
    {
        var setting = SettingsCatalog.Get(key);
        var secret = secrets.Resolve(Variable, key);
        if (secret.Problem is not null) { problems.Add(secret.Problem); return null; }
        // A secret file can hold a reference too (a platform that writes files from the same app settings).
        if (KeyVaultReference.IsUnresolved(secret.Value)) Unresolved(key);
        if (unresolved.Contains(key) || unresolved.Contains(key + "_FILE")) return null; // reported once, not also as missing
        var value = secret.Value?.Trim();
        if (!IsProd || !setting.RequiredInProd) return string.IsNullOrEmpty(value) ? setting.Default : value;

        if (value is null) problems.Add($"{key} is missing");
        else if (value.Length == 0) problems.Add($"{key} is empty");
        else if (value.StartsWith("change-me", StringComparison.OrdinalIgnoreCase)) problems.Add($"{key} is still a change-me placeholder");
        else if (setting.Default == value) problems.Add($"{key} is the development default");
        else return value;
        return null;
    }

    /// <summary>Whether the variable holds something (blank counts as unset).</summary>
    public bool IsSet(string key) => !string.IsNullOrWhiteSpace(Variable(key));

    // Blank counts as unset, as for every other type: "  " must not become an empty Graph version or key prefix.
    public string String(string key) => OptionalString(key) ?? Default(key);

    public string? OptionalString(string key) => Variable(key) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : SettingsCatalog.Get(key).Default;

    public IReadOnlyList<string> List(string key)
    {
        var items = String(key).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length > 0) return items;
        // "," would leave an empty list: with the invoke prefix required, the bot would silently never answer.
        problems.Add($"{key} must list at least one comma-separated value, got '{Variable(key)}'");
        return Default(key).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public bool Bool(string key) => OptionalBool(key) ?? bool.Parse(Default(key));

    /// <summary>Null when unset (and no default), so the caller can tell "not said" from "false".</summary>
    public bool? OptionalBool(string key)
    {
        var raw = Variable(key);
        if (string.IsNullOrWhiteSpace(raw)) return SettingsCatalog.Get(key).Default is { } d ? bool.Parse(d) : null;
        switch (raw.Trim().ToLowerInvariant())
        {
            case "1" or "true" or "yes" or "on": return true;
            case "0" or "false" or "no" or "off": return false;
            default: problems.Add($"{key} must be true or false, got '{raw}'"); return null;
        }
    }

    public int Int(string key, int min, int max = int.MaxValue)
    {
        var fallback = int.Parse(Default(key), CultureInfo.InvariantCulture);
        var raw = Variable(key);
        if (string.IsNullOrWhiteSpace(raw)) return fallback;
        if (int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        problems.Add(max == int.MaxValue ? $"{key} must be a whole number >= {min}, got '{raw}'" : $"{key} must be a whole number from {min} to {max}, got '{raw}'");
        return fallback;
    }

    public TimeSpan Seconds(string key, int min, int max = int.MaxValue)
    {
        var problemsBefore = problems.Count;
        var seconds = Int(key, min, max);
        // The unit belongs in the message of a duration: "50" means seconds, not milliseconds.
        if (problems.Count > problemsBefore && max != int.MaxValue)
            problems[^1] = $"{key} must be a whole number of seconds from {min} to {max}, got '{Variable(key)}'";
        return TimeSpan.FromSeconds(seconds);
    }

    public TEnum Enum<TEnum>(string key) where TEnum : struct, System.Enum
    {
        var fallback = System.Enum.Parse<TEnum>(Default(key), ignoreCase: true);
        var raw = Variable(key);
        if (string.IsNullOrWhiteSpace(raw)) return fallback;
        if (System.Enum.TryParse<TEnum>(raw.Trim(), ignoreCase: true, out var value) && System.Enum.IsDefined(value)) return value;
        problems.Add($"{key} must be one of {string.Join('|', System.Enum.GetNames<TEnum>()).ToLowerInvariant()}, got '{raw}'");
        return fallback;
    }

    /// <param name="fallback">Instead of the declared default (a default that follows another setting).</param>
    public Uri AbsoluteUri(string key, string? fallback = null)
    {
        fallback ??= Default(key);
        var raw = Variable(key) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : fallback;
        if (!raw.EndsWith('/')) raw += "/"; // so relative "v24.0/…" appends instead of replacing the last segment
        if (Uri.TryCreate(raw, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
        problems.Add($"{key} must be an absolute http(s) URL, got '{raw}'");
        return new Uri(fallback.EndsWith('/') ? fallback : fallback + "/");
    }

    /// <summary>A connection string in URL or native form; the value is never echoed (it may hold a password).</summary>
    public T Convert<T>(string key, string? raw, Func<string, T> convert, T fallback)
    {
        if (string.IsNullOrEmpty(raw)) return fallback; // already reported as missing, or optional and unset
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

    public void ThrowIfProblems()
    {
        if (problems.Count > 0) throw new InvalidSettingsException(Environment, problems, unresolved);
    }

    private static string Default(string key) =>
        SettingsCatalog.Get(key).Default ?? throw new InvalidOperationException($"{key} declares no default; read it as optional");

    private void Unresolved(string key)
    {
        if (unresolved.Contains(key)) return;
        unresolved.Add(key);
        problems.Add($"{key} is a Key Vault reference the platform has not resolved yet (check the app identity's access to the vault)");
    }
}
