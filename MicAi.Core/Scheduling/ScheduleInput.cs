using MicAi.Core.Http;
using MicAi.Core.WhatsApp;

namespace MicAi.Core.Scheduling;

/// <summary>
/// The body of POST /admin/schedules and PUT /admin/schedules/{schedule_id}. Exactly one of cron (5 fields, or 6 with
/// seconds first, in time_zone), interval_minutes (first run at start_at, default now + interval) or run_at (one-off).
/// template_name/template_language are used when the contact's 24-hour window is closed.
/// </summary>
public sealed record ScheduleInput : IValidatable
{
    [Limit(MaxLength = MaxWaId)] public string? WaId { get; init; }
    public long? AgentId { get; init; }
    [Limit(MaxLength = MetaLimits.TextBody)] public string? MessageText { get; init; }
    [Limit(MaxLength = MaxTemplateName)] public string? TemplateName { get; init; }
    [Limit(MaxLength = MaxTemplateLanguage)] public string? TemplateLanguage { get; init; }
    [Limit(MaxLength = MaxCron)] public string? Cron { get; init; }
    [Limit(Minimum = 1, Maximum = MaxIntervalMinutes)] public int? IntervalMinutes { get; init; }
    /// <summary>The template's positional body parameters (text), used with template_name.</summary>
    [Limit(MaxItems = 20, ItemMaxLength = 1024)] public string[]? TemplateBodyParams { get; init; }
    /// <summary>The template's positional header parameters (text), used with template_name.</summary>
    [Limit(MaxItems = 20, ItemMaxLength = 60)] public string[]? TemplateHeaderParams { get; init; }
    public DateTimeOffset? RunAt { get; init; }
    public DateTimeOffset? StartAt { get; init; }
    [Limit(MaxLength = MaxTimeZone)] public string? TimeZone { get; init; }
    public bool? Enabled { get; init; }

    // Meta's template names are at most 512 characters; a language code is like en_US. The interval: one leap year.
    public const int MaxWaId = 128, MaxTemplateName = 512, MaxTemplateLanguage = 15, MaxCron = 120, MaxTimeZone = 64,
        MaxIntervalMinutes = 366 * 24 * 60;
    /// <summary>Schedules one contact may have (reminders included; checked when one is created).</summary>
    public const int MaxPerContact = 100;

    [System.Text.Json.Serialization.JsonIgnore] public bool OneOff => RunAt is not null;

    public string Zone(string fallback) => string.IsNullOrWhiteSpace(TimeZone) ? fallback : TimeZone.Trim();

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(WaId)) errors["wa_id"] = ["required"];
        if (string.IsNullOrWhiteSpace(MessageText)) errors["message_text"] = ["required"];
        var kinds = (Cron is { Length: > 0 } ? 1 : 0) + (IntervalMinutes is not null ? 1 : 0) + (RunAt is not null ? 1 : 0);
        if (kinds != 1) errors["cron"] = ["give exactly one of cron, interval_minutes or run_at"];
        if (Cron is { Length: > 0 } cron && !Recurrence.TryParseCron(cron, out _, out var cronError)) errors["cron"] = [cronError!];
        if (StartAt is not null && IntervalMinutes is null) errors["start_at"] = ["only with interval_minutes"];
        if (TimeZone is { Length: > 0 } tz && !Recurrence.IsKnownTimeZone(tz.Trim())) errors["time_zone"] = [$"unknown time zone '{tz}' (use an IANA id such as Europe/Lisbon)"];
        if (TemplateLanguage is { Length: > 0 } && string.IsNullOrWhiteSpace(TemplateName)) errors["template_language"] = ["only with template_name"];
        if ((TemplateBodyParams ?? TemplateHeaderParams) is not null && string.IsNullOrWhiteSpace(TemplateName))
            errors[TemplateBodyParams is not null ? "template_body_params" : "template_header_params"] = ["only with template_name"];
        Outbox.TemplateInput.Texts("template_body_params", TemplateBodyParams, 1024, errors);
        Outbox.TemplateInput.Texts("template_header_params", TemplateHeaderParams, 60, errors);
        return errors;
    }

    /// <summary>When it runs first: the next cron slot or interval step strictly after now, or run_at.</summary>
    public DateTimeOffset? FirstRun(string zone, DateTimeOffset now) =>
        (RunAt ?? (IntervalMinutes is not null && StartAt is { } start ? start : Recurrence.First(Cron, IntervalMinutes, zone, now)))?.ToUniversalTime();
}
