using MicAi.Core.Http;
using MicAi.Core.Scheduling;

namespace MicAi.Core.Agents;

/// <summary>The body of PUT /admin/contacts/{wa_id}: absent members stay as they are; time_zone "" = the default.</summary>
public sealed record ContactInput : IValidatable
{
    public bool? OptedOut { get; init; }
    [Limit(MaxLength = ScheduleInput.MaxTimeZone)] public string? TimeZone { get; init; }

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (TimeZone is { Length: > 0 } tz && !Recurrence.IsKnownTimeZone(tz.Trim())) errors["time_zone"] = [$"unknown time zone '{tz}' (use an IANA id such as Europe/Lisbon)"];
        return errors;
    }
}
