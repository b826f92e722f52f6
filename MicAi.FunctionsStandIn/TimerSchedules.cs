using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NCrontab;

namespace MicAi.FunctionsStandIn;

/// <summary>
/// How the Functions timer extension turns a timerTrigger's schedule into a schedule, or refuses the function
/// (azure-webjobs-sdk-extensions, Extensions/Timers/Scheduling/TimerSchedule.Create and CronSchedule.TryCreate):
/// %NAME% tokens are replaced from the app settings first (WebJobs SDK NameResolverExtensions.ResolveWholeString:
/// an unknown name or an unclosed '%' is an error), then the text must parse as a 6-field NCRONTAB expression with
/// seconds (the same NCrontab library, IncludingSeconds) or as a TimeSpan ("00:05:00"). A 5-field cron is neither.
/// </summary>
public static class TimerSchedules
{
    public static void Validate(JsonObject trigger, Func<string, string?> appSetting)
    {
        var expression = trigger["schedule"]?.GetValue<string>();
        if (string.IsNullOrEmpty(expression))
            throw new InvalidOperationException("The timer trigger has no schedule expression.");
        if (!IsSchedule(Resolve(expression, appSetting)))
            throw new ArgumentException("The schedule expression was not recognized as a valid cron expression or timespan string.");
    }

    public static bool IsSchedule(string resolved) =>
        CrontabSchedule.TryParse(resolved, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is not null
        || TimeSpan.TryParse(resolved, CultureInfo.InvariantCulture, out _);

    /// <summary>Replaces every %NAME% with its app setting, with the SDK's messages for what cannot be resolved.</summary>
    public static string Resolve(string expression, Func<string, string?> appSetting)
    {
        var resolved = new StringBuilder();
        var at = 0;
        while (at < expression.Length)
        {
            var open = expression.IndexOf('%', at);
            if (open < 0)
            {
                resolved.Append(expression, at, expression.Length - at);
                break;
            }
            var close = expression.IndexOf('%', open + 1);
            if (close < 0) throw new InvalidOperationException($"The '%' at position {open} does not have a closing '%'");
            var name = expression[(open + 1)..close];
            var value = appSetting(name) ?? throw new InvalidOperationException($"'%{name}%' does not resolve to a value.");
            resolved.Append(expression, at, open - at).Append(value);
            at = close + 1;
        }
        return resolved.ToString();
    }
}
