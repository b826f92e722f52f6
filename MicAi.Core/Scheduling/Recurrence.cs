using Cronos;

namespace MicAi.Core.Scheduling;

/// <summary>
/// When a schedule runs next. Misfire policy: the next occurrence is always strictly after <c>now</c>, so occurrences
/// missed during downtime are not replayed one by one (the overdue one runs once, then the grid continues).
/// Cron expressions have five fields, or six with seconds first, and are evaluated in the schedule's time zone
/// (daylight-saving gaps and overlaps as Cronos defines them: a skipped local time runs at the gap's end, a repeated
/// one runs once).
/// </summary>
public static class Recurrence
{
    public static DateTimeOffset? NextAfter(DueSchedule s, DateTimeOffset now)
    {
        if (s.Cron is { Length: > 0 } cron)
            return TryParseCron(cron, out var expression, out _) ? Utc(expression!.GetNextOccurrence(now, Zone(s.TimeZone))) : null;
        if (s.IntervalMinutes is { } minutes and > 0)
        {
            var step = TimeSpan.FromMinutes(minutes);
            var missed = Math.Max(0, (long)Math.Floor((now - s.Occurrence) / step));
            var next = s.Occurrence + step * (missed + 1);
            return next > now ? next : next + step;
        }
        return null; // no recurrence: the schedule is done
    }

    /// <summary>The first occurrence of a new or edited schedule: strictly after <c>now</c> (interval: one step away).</summary>
    public static DateTimeOffset? First(string? cron, int? intervalMinutes, string timeZone, DateTimeOffset now)
    {
        if (cron is { Length: > 0 })
            return TryParseCron(cron, out var expression, out _) ? Utc(expression!.GetNextOccurrence(now, Zone(timeZone))) : null;
        return intervalMinutes is { } m and > 0 ? now.AddMinutes(m) : null;
    }

    /// <summary>Up to <paramref name="count"/> occurrences starting with <paramref name="next"/> (the stored next_run_at).</summary>
    public static List<DateTimeOffset> Upcoming(string? cron, int? intervalMinutes, string timeZone, DateTimeOffset? next, int count)
    {
        var list = new List<DateTimeOffset>();
        if (next is null) return list;
        list.Add(next.Value);
        CronExpression? expression = null;
        if (cron is { Length: > 0 } && !TryParseCron(cron, out expression, out _)) return list;
        while (list.Count < count)
        {
            DateTimeOffset? following = expression is not null ? Utc(expression.GetNextOccurrence(list[^1], Zone(timeZone)))
                : intervalMinutes is { } m and > 0 ? list[^1].AddMinutes(m) : null;
            if (following is null) break;
            list.Add(following.Value);
        }
        return list;
    }

    /// <summary>Five fields (minute first), or six with seconds first.</summary>
    public static bool TryParseCron(string cron, out CronExpression? expression, out string? error)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        expression = null;
        error = null;
        if (fields is not (5 or 6))
        {
            error = "a cron expression has 5 fields (minute hour day month weekday) or 6 with seconds first";
            return false;
        }
        try
        {
            expression = CronExpression.Parse(cron.Trim(), fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return true;
        }
        catch (CronFormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Cronos answers in the zone's offset; Postgres timestamptz parameters must be UTC.</summary>
    private static DateTimeOffset? Utc(DateTimeOffset? value) => value?.ToUniversalTime();

    public static bool IsKnownTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
