namespace MicAi.Core.Telemetry;

/// <summary>
/// Phone numbers and message text as logs may show them: redacted by default (the last 4 characters of a number, the
/// length of a text), in full only with MICAI_LOG_PERSONAL_DATA=true for debugging. Every log line that names a person
/// or what they wrote passes the value through here.
/// </summary>
public sealed class PersonalData(TelemetrySettings settings)
{
    public bool Shown => settings.LogPersonalData;

    public string Phone(string? number) =>
        number is null ? "" : Shown ? number : number.Length <= 4 ? "***" : "***" + number[^4..];

    public string Text(string? text) => text is null ? "" : Shown ? text : $"[{text.Length} chars redacted]";
}
