using System.Diagnostics;
using MicAi.Core.Telemetry;
using OpenTelemetry.Trace;

namespace MicAi.Tests.Telemetry;

/// <summary>The root sampler wraps the one OTEL_TRACES_SAMPLER chose: it only adds dropping parentless client spans.</summary>
public sealed class OrphanClientSpanSamplerTests
{
    private static readonly ActivityContext Parent = new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);

    private static SamplingDecision Decide(Sampler chosen, ActivityKind kind, ActivityContext parent) =>
        new OrphanClientSpanSampler(chosen).ShouldSample(new SamplingParameters(parent, ActivityTraceId.CreateRandom(), "span", kind)).Decision;

    [Theory]
    [InlineData(ActivityKind.Server)]
    [InlineData(ActivityKind.Consumer)]
    [InlineData(ActivityKind.Producer)]
    [InlineData(ActivityKind.Internal)]
    public void ParentlessSpanThatIsNotAClient_GetsTheChosenSamplersDecision(ActivityKind kind)
    {
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(new AlwaysOnSampler(), kind, default));
        Assert.Equal(SamplingDecision.Drop, Decide(new AlwaysOffSampler(), kind, default));
    }

    [Fact]
    public void ParentlessClientSpan_IsDropped_EvenWhenTheChosenSamplerWouldKeepIt() =>
        Assert.Equal(SamplingDecision.Drop, Decide(new AlwaysOnSampler(), ActivityKind.Client, default));

    [Fact]
    public void ClientSpanWithAParent_GetsTheChosenSamplersDecision()
    {
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(new ParentBasedSampler(new AlwaysOffSampler()), ActivityKind.Client, Parent));
        Assert.Equal(SamplingDecision.Drop, Decide(new AlwaysOffSampler(), ActivityKind.Client, Parent));
    }
}
