namespace MicAi.Core.Scheduling;

/// <summary>The time zone a schedule runs in when it names none (MICAI_DEFAULT_TIME_ZONE).</summary>
public sealed record ScheduleDefaults(string TimeZone);
