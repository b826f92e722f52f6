using MicAi.Core.Configuration;

namespace MicAi.Core.Simulator;

/// <summary>
/// <c>MICAI_SIMULATOR</c>: serve the WhatsApp simulator at /simulator and a Graph API stand-in at /simulator/graph.
/// A development and test tool only: with <c>MICAI_APP_ENV=prod</c> the process refuses to start, because the
/// stand-in answers sends that never reach anyone and the page posts webhooks without a login.
/// </summary>
public sealed record SimulatorSettings(bool Enabled)
{
    public const string Key = "MICAI_SIMULATOR";

    public static SimulatorSettings Load(Func<string, string?> variable, SecretSource secrets)
    {
        var r = new SettingsReader(variable, secrets);
        var environment = r.Enum(MicAiSettings.Keys.AppEnv, AppEnvironment.Dev);
        var enabled = r.Bool(Key, false);
        if (enabled && environment == AppEnvironment.Prod)
            enabled = r.Problem($"{Key}=true is for development and tests only; it is refused with {MicAiSettings.Keys.AppEnv}=prod", false);
        r.ThrowIfProblems(environment);
        return new SimulatorSettings(enabled);
    }
}
