using System.Globalization;
using System.Text.RegularExpressions;

namespace MicAi.Core.Agents.Tools;

public abstract record ReminderCommand;
public sealed record CreateReminder(DateTimeOffset DueUtc, DateTime DueLocal, string What) : ReminderCommand;
public sealed record ListReminders : ReminderCommand;
public sealed record CancelReminder(int Number) : ReminderCommand;

/// <summary>
/// Understands "remind me in 10 minutes to call mom", "remind me at 18:30 to …" (today, or tomorrow when that time has
/// passed), "remind me tomorrow at 9 to …", "my reminders" and "cancel reminder 2", in the contact's time zone.
/// </summary>
public static partial class ReminderParser
{
    [GeneratedRegex(@"^remind me in (\d{1,4})\s*(m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days)\b\s*(?:to\s+|that\s+|about\s+)?(?<what>.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InRegex();

    [GeneratedRegex(@"^remind me (?:(?<day>today|tomorrow)\s+)?at (?<h>\d{1,2})(?:[:h.](?<m>\d{2}))?\s*(?<ampm>am|pm)?\s*(?<day2>today|tomorrow)?\s+(?:to\s+|that\s+|about\s+)?(?<what>.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AtRegex();

    [GeneratedRegex(@"^(?:my|list|show)(?: my)? reminders[?!.]*$|^reminders[?!.]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ListRegex();

    [GeneratedRegex(@"^(?:cancel|delete|remove) reminder\s*#?(\d{1,3})[.!]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CancelRegex();

    public static bool LooksLikeReminder(string text)
    {
        var t = text.Trim();
        return t.StartsWith("remind me", StringComparison.OrdinalIgnoreCase) || ListRegex().IsMatch(t) || CancelRegex().IsMatch(t);
    }

    /// <summary>The command, or null when the text is about reminders but not understood.</summary>
    public static ReminderCommand? Parse(string text, DateTimeOffset now, TimeZoneInfo zone)
    {
        var t = text.Trim();
        if (ListRegex().IsMatch(t)) return new ListReminders();
        if (CancelRegex().Match(t) is { Success: true } cancel) return new CancelReminder(int.Parse(cancel.Groups[1].Value, CultureInfo.InvariantCulture));

        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        if (InRegex().Match(t) is { Success: true } rel)
        {
            var n = int.Parse(rel.Groups[1].Value, CultureInfo.InvariantCulture);
            var span = char.ToLowerInvariant(rel.Groups[2].Value[0]) switch { 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) };
            if (n <= 0 || span > TimeSpan.FromDays(365)) return null;
            var due = now + span;
            return new CreateReminder(due, TimeZoneInfo.ConvertTime(due, zone).DateTime, Clean(rel.Groups["what"].Value));
        }
        if (AtRegex().Match(t) is { Success: true } at)
        {
            var hour = int.Parse(at.Groups["h"].Value, CultureInfo.InvariantCulture);
            var minute = at.Groups["m"].Success ? int.Parse(at.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
            var ampm = at.Groups["ampm"].Value.ToLowerInvariant();
            if (ampm == "pm" && hour < 12) hour += 12;
            if (ampm == "am" && hour == 12) hour = 0;
            if (hour > 23 || minute > 59) return null;
            var day = (at.Groups["day"].Success ? at.Groups["day"].Value : at.Groups["day2"].Value).ToLowerInvariant();
            var date = local.Date.AddDays(day == "tomorrow" ? 1 : 0);
            var dueLocal = date.AddHours(hour).AddMinutes(minute);
            if (day == "" && dueLocal <= local) dueLocal = dueLocal.AddDays(1); // "at 18:30" after 18:30 means tomorrow
            if (dueLocal <= local) return null; // "today at 9" when it is already past 9
            return new CreateReminder(ToUtc(dueLocal, zone), dueLocal, Clean(at.Groups["what"].Value));
        }
        return null;
    }

    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        // A local time skipped by a daylight-saving change does not exist: use the first minute after the gap.
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
    }

    private static string Clean(string what) => what.Trim().TrimEnd('.', '!');
}
