using MicAi.Core.Configuration;

[assembly: MicAi.Core.Configuration.DeclaresSettings(typeof(MicAi.Core.Simulator.SimulatorSettings.Keys))]

namespace MicAi.Core.Simulator;

/// <summary>
/// Whether the WhatsApp simulator is served. A development and test tool only: with <c>MICAI_APP_ENV=prod</c> the
/// process refuses to start, because the stand-in answers sends that never reach anyone and the page posts webhooks
/// without a login.
/// </summary>
public sealed record SimulatorSettings(bool Enabled)
{
    public static class Keys
    {
        [Setting("false", "serve the WhatsApp simulator at `/simulator` and a Graph API stand-in at `/simulator/graph` ([docs/simulator.md](docs/simulator.md)); development and tests only: refused with `MICAI_APP_ENV=prod`",
            Shown = "`false` (`bin/dev`: `true`)", Scope = SettingScope.HostOnly)]
        public const string Enabled = "MICAI_SIMULATOR";
    }

    internal static SimulatorSettings Read(SettingsReader r)
    {
        var enabled = r.Bool(Keys.Enabled);
        if (enabled && r.IsProd)
            enabled = r.Problem($"{Keys.Enabled}=true is for development and tests only; it is refused with {AppSettings.Keys.AppEnv}=prod", false);
        return new SimulatorSettings(enabled);
    }
}
