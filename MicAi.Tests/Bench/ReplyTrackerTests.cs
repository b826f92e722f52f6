using MicAi.Bench;

namespace MicAi.Tests.Bench;

public sealed class ReplyTrackerTests
{
    [Fact]
    public void Tracker_CountsLostDuplicatedAndUnexpectedReplies()
    {
        var tracker = new ReplyTracker();
        var phase = new ReplyTracker.Phase("test");
        foreach (var wamid in new[] { "wamid.A", "wamid.B", "wamid.C", "wamid.D" }) tracker.Expect(wamid, phase);
        tracker.Forget("wamid.D"); // its webhook was refused: no answer is owed

        tracker.Record("wamid.A");
        tracker.Record("wamid.B");
        tracker.Record("wamid.B");
        tracker.Record("wamid.ELSEWHERE");
        tracker.Record(null);

        Assert.Equal(3, tracker.Expected);
        Assert.Equal(2, tracker.AnsweredCount);
        Assert.Equal(1, tracker.Lost);        // C
        Assert.Equal(1, tracker.Duplicated);  // B's second reply
        Assert.Equal(2, tracker.Unexpected);  // a reply to nothing we sent, and one without context
        Assert.Equal(2, phase.Answered);
        Assert.Equal(1, phase.Lost);
        Assert.Equal(1, phase.Duplicated);
    }

    [Fact]
    public void Tracker_RaisesAnsweredOnlyOnTheFirstReply()
    {
        var tracker = new ReplyTracker();
        var phase = new ReplyTracker.Phase("test");
        var answered = new List<string>();
        tracker.Answered += answered.Add;
        tracker.Expect("wamid.A", phase);

        tracker.Record("wamid.A");
        tracker.Record("wamid.A");

        Assert.Equal(["wamid.A"], answered);
    }

    [Fact]
    public void Phase_Timed_PairsEachReplysArrivalWithItsOwnLatency()
    {
        var phase = new ReplyTracker.Phase("test");
        phase.AddReply(12.5, 1_000);
        phase.AddReply(3.0, 2_000);
        phase.AddReply(40.0, 1_500);

        Assert.Equal([(1_000L, 12.5), (2_000L, 3.0), (1_500L, 40.0)], phase.Timed());
    }
}
