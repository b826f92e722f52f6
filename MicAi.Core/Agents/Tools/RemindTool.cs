using System.Globalization;
using System.Text;
using MicAi.Core.Scheduling;

namespace MicAi.Core.Agents.Tools;

/// <summary>The remind tool: one-off reminders in the contact's time zone (default MICAI_DEFAULT_TIME_ZONE).</summary>
public sealed class RemindTool(ScheduleStore schedules, SchedulerSettings settings, TimeProvider time) : IAgentTool
{
    /// <summary>What a reminder says when it is sent; "my reminders" lists them without it.</summary>
    public const string MessagePrefix = "⏰ Reminder: ";

    public const int MaxPending = 25;
    public const string Help = "To set a reminder, try: \"remind me in 10 minutes to call mom\", \"remind me at 18:30 to …\" or " +
                               "\"remind me tomorrow at 9 to …\". Send \"my reminders\" to see them.";

    public string Name => ToolNames.Remind;

    public bool Detects(string text) => ReminderParser.LooksLikeReminder(text);

    public async Task<string> RunAsync(InboundContext context, string text, CancellationToken ct)
    {
        var zoneId = context.TimeZone is { Length: > 0 } tz && Recurrence.IsKnownTimeZone(tz) ? tz : settings.DefaultTimeZone;
        var zone = Recurrence.Zone(zoneId);
        var now = time.GetUtcNow();
        switch (ReminderParser.Parse(text, now, zone))
        {
            case CreateReminder create:
                if ((await schedules.PendingRemindersAsync(context.WaId, ct)).Count >= MaxPending)
                    return $"You already have {MaxPending} reminders. Cancel one first (\"cancel reminder 1\").";
                await schedules.InsertReminderAsync(context.WaId, context.Agent.Id, context.Wamid, MessagePrefix + create.What, create.DueUtc, zoneId, ct);
                return $"Okay! I'll remind you {When(create.DueLocal, TimeZoneInfo.ConvertTime(now, zone).DateTime)} to {create.What}.";
            case ListReminders:
                var pending = await schedules.PendingRemindersAsync(context.WaId, ct);
                if (pending.Count == 0) return "You have no reminders.";
                var list = new StringBuilder("Your reminders:");
                var localNow = TimeZoneInfo.ConvertTime(now, zone).DateTime;
                for (var i = 0; i < pending.Count; i++)
                    list.Append(CultureInfo.InvariantCulture, $"\n{i + 1}. {When(TimeZoneInfo.ConvertTime(pending[i].Due, zone).DateTime, localNow)}: {What(pending[i])}");
                return list.ToString();
            case CancelReminder cancel:
                var current = await schedules.PendingRemindersAsync(context.WaId, ct);
                if (cancel.Number < 1 || cancel.Number > current.Count)
                    return $"There is no reminder {cancel.Number}. Send \"my reminders\" to see them.";
                var target = current[cancel.Number - 1];
                await schedules.DeleteReminderAsync(context.WaId, target.Id, ct);
                return $"Cancelled reminder {cancel.Number}: {What(target)}.";
            default:
                return Help;
        }
    }

    private static string What(Reminder reminder) =>
        reminder.MessageText.StartsWith(MessagePrefix, StringComparison.Ordinal) ? reminder.MessageText[MessagePrefix.Length..] : reminder.MessageText;

    /// <summary>"at 18:30", "tomorrow at 09:00" or "on Mon 30 Nov at 09:00", in the contact's local time.</summary>
    public static string When(DateTime dueLocal, DateTime nowLocal)
    {
        var clock = dueLocal.ToString("HH:mm", CultureInfo.InvariantCulture);
        if (dueLocal.Date == nowLocal.Date) return $"at {clock}";
        if (dueLocal.Date == nowLocal.Date.AddDays(1)) return $"tomorrow at {clock}";
        return $"on {dueLocal.ToString("ddd d MMM", CultureInfo.InvariantCulture)} at {clock}";
    }
}
