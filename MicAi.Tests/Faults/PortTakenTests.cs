using System.Net;
using System.Net.Sockets;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Faults;

/// <summary>An api whose port is taken (a second copy, a stale process) says so and exits, instead of aborting the runtime.</summary>
[Collection(FaultCollection.Name)]
public sealed class PortTakenTests
{
    [Fact]
    public async Task Api_WhosePortIsTaken_Exits1WithOneCriticalLineNamingTheAddress_InsteadOfAnUnhandledException()
    {
        var port = HostProcess.FreePort();
        using var squatter = new TcpListener(IPAddress.Any, port);
        squatter.Start();
        var environment = await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/"); // never called: the api does not start

        await using var api = HostProcess.Start(["api"], environment, port);

        Assert.Equal(1, await api.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var line = Assert.Single(api.Output.Split('\n'), l => l.Contains("MicAi api cannot start", StringComparison.Ordinal));
        Assert.Contains($":{port}", line);
        Assert.Contains("address already in use", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Unhandled exception", api.Output);
    }
}
