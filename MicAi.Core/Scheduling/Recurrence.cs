namespace MicAi.Core.Scheduling;

/// <summary>Next occurrence strictly after <c>now</c>: missed occurrences are skipped (they ran once, as one).</summary>
public static class Recurrence
{
    public static DateTimeOffset? NextAfter(DueSchedule s, DateTimeOffset now)
    {
        if (s.IntervalMinutes is { } minutes and > 0)
        {
            var step = TimeSpan.FromMinutes(minutes);
            var missed = Math.Max(0, (long)Math.Floor((now - s.Occurrence) / step));
            var next = s.Occurrence + step * (missed + 1);
            return next > now ? next : next + step;
        }
        return null; // no recurrence: the schedule is done
    }
}
