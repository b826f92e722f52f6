using MicAi.Core.Queue;
using StackExchange.Redis;

namespace MicAi.Tests.Queue;

/// <summary>The W3C trace parent a job carries: in the stream entry and in the delayed set's JSON, or not at all.</summary>
public sealed class JobTraceContextTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_768_212_010_000);

    [Fact]
    public void Job_KeepsItsTraceParent_ThroughStreamFieldsAndTheDelayedSetJson()
    {
        var job = Job.New(JobTypes.Inbound, "wamid.T1", At) with { TraceParent = TraceParent };

        Assert.Contains(job.ToFields(), f => f.Name == Job.TraceParentField && f.Value == TraceParent);
        Assert.Equal(job, Job.FromFields(job.ToFields()));
        Assert.Equal(TraceParent, Job.Deserialize(job.NextAttempt().Serialize())!.TraceParent);
    }

    [Fact]
    public void Job_WithoutTraceParent_WritesNoSuchField_AndNoNullInItsJson()
    {
        var job = Job.New(JobTypes.Send, "reply:wamid.T2", At);

        Assert.DoesNotContain(job.ToFields(), f => f.Name == (RedisValue)Job.TraceParentField);
        Assert.DoesNotContain("TraceParent", job.Serialize());
        Assert.Null(Job.FromFields(job.ToFields())!.TraceParent);
    }
}
