using MicAi.Core.Agents.Tools;

namespace MicAi.Tests.Agents;

public sealed class ReminderParserTests
{
    private static readonly TimeZoneInfo Lisbon = TimeZoneInfo.FindSystemTimeZoneById("Europe/Lisbon");
    private static readonly DateTimeOffset Now = new(2026, 7, 1, 16, 0, 0, TimeSpan.Zero); // 17:00 in Lisbon (WEST)

    [Theory]
    [InlineData("remind me in 10 minutes to call mom", 10, "call mom")]
    [InlineData("Remind me in 1 minute to stretch", 1, "stretch")]
    [InlineData("remind me in 2 hours to take the cake out.", 120, "take the cake out")]
    [InlineData("remind me in 3 days about the dentist", 3 * 24 * 60, "the dentist")]
    public void In_IsRelativeToNow(string text, int minutes, string what)
    {
        var r = Assert.IsType<CreateReminder>(ReminderParser.Parse(text, Now, Lisbon));
        Assert.Equal((Now.AddMinutes(minutes), what), (r.DueUtc, r.What));
    }

    [Theory]
    [InlineData("remind me at 18:30 to call mom", 1, 17, 30)]        // later today
    [InlineData("remind me at 9 to water the plants", 2, 8, 0)]      // 09:00 has passed: tomorrow
    [InlineData("remind me tomorrow at 9 to pay rent", 2, 8, 0)]
    [InlineData("remind me at 7pm to cook", 1, 18, 0)]
    [InlineData("remind me at 12am to sleep", 1, 23, 0)]     // midnight tomorrow, Lisbon time
    public void At_IsInTheContactsZone(string text, int utcDay, int utcHour, int utcMinute)
    {
        var r = Assert.IsType<CreateReminder>(ReminderParser.Parse(text, Now, Lisbon));
        Assert.Equal(new DateTimeOffset(2026, 7, utcDay, utcHour, utcMinute, 0, TimeSpan.Zero), r.DueUtc);
    }

    [Fact]
    public void ListAndCancel_AreRecognised()
    {
        Assert.IsType<ListReminders>(ReminderParser.Parse("my reminders", Now, Lisbon));
        Assert.IsType<ListReminders>(ReminderParser.Parse("List reminders?", Now, Lisbon));
        Assert.Equal(3, Assert.IsType<CancelReminder>(ReminderParser.Parse("cancel reminder #3", Now, Lisbon)).Number);
    }

    [Theory]
    [InlineData("remind me at 25:00 to fly")]
    [InlineData("remind me in 0 minutes to blink")]
    [InlineData("remind me today at 9 to sleep")]
    [InlineData("remind me sometime")]
    public void NotUnderstood_IsNull_SoTheToolExplainsItself(string text)
    {
        Assert.True(ReminderParser.LooksLikeReminder(text));
        Assert.Null(ReminderParser.Parse(text, Now, Lisbon));
    }
}
