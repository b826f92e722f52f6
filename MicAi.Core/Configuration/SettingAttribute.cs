namespace MicAi.Core.Configuration;

/// <summary>
/// Declares one setting on the constant that names it: its default and what it means. This is the one place a
/// setting is described: <see cref="SettingsReader"/> takes the default from here, prod's checks take
/// <see cref="RequiredInProd"/> from here, and README's configuration table is checked against these declarations.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class SettingAttribute(string? defaultValue, string meaning) : Attribute
{
    /// <summary>The value used when the variable is unset or blank; null: none. For a secret, the dev default.</summary>
    public string? Default { get; } = defaultValue;

    /// <summary>What it does, as README's table says it (Markdown).</summary>
    public string Meaning { get; } = meaning;

    /// <summary>Read as <c>X_FILE</c>, then <c>X</c>, then <c>/run/secrets/x</c> (<see cref="SecretSource"/>).</summary>
    public bool Secret { get; set; }

    /// <summary>With MICAI_APP_ENV=prod: missing, empty, the dev default or a change-me-* placeholder stops the process.</summary>
    public bool RequiredInProd { get; set; }

    /// <summary>How README shows the default when the value alone would mislead (per adapter, set in infra/).</summary>
    public string? Shown { get; set; }

    /// <summary>Set by the platform MicAi runs on (Render, Azure), not by an operator.</summary>
    public bool SetByPlatform { get; set; }

    /// <summary>
    /// A setting the Python mic.ai service read that MicAi no longer uses: when it is set, the process starts anyway and
    /// logs one warning naming it and this text (what replaces it), instead of refusing a configuration written for Python.
    /// </summary>
    public string? Deprecated { get; set; }

    /// <summary>Which adapter reads it; most settings mean the same to both.</summary>
    public SettingScope Scope { get; set; }
}

public enum SettingScope { BothAdapters, HostOnly, FunctionsOnly }
