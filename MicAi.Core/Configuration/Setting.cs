namespace MicAi.Core.Configuration;

/// <summary>A declared setting: the variable's name with its <see cref="SettingAttribute"/>.</summary>
public sealed record Setting(string Name, SettingAttribute Declaration)
{
    public string? Default => Declaration.Default;

    public bool Secret => Declaration.Secret;

    public bool RequiredInProd => Declaration.RequiredInProd;

    public bool SetByPlatform => Declaration.SetByPlatform;

    public SettingScope Scope => Declaration.Scope;

    /// <summary>The default as README's table shows it.</summary>
    public string DefaultShown => Declaration.Shown ?? (SetByPlatform ? "set by the platform" : Default is null ? "none" : $"`{Default}`");
}
