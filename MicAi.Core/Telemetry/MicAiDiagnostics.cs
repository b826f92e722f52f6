using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MicAi.Core.Telemetry;

/// <summary>
/// MicAi's own spans and instruments. One source and one meter for the whole process, as the .NET guidance has it for
/// a library: instruments are created once (static fields of each capability's <c>XMetrics</c> class) and cost a
/// few nanoseconds per measurement while nobody listens.
/// </summary>
public static class MicAiDiagnostics
{
    public const string Name = "MicAi";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);
}
