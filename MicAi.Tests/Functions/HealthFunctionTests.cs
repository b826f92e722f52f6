using System.Net;
using System.Text.Json;

namespace MicAi.Tests.Functions;

public sealed class HealthFunctionTests(FunctionsWorkerFixture worker) : IClassFixture<FunctionsWorkerFixture>
{
    [Fact]
    public async Task Health_Returns200Ok_ThroughTheRealWorker()
    {
        var (response, invocation) = await worker.Host.InvokeHttpAsync("Health", new HttpRequestMessage(HttpMethod.Get, "/health"), CancellationToken.None);

        Assert.True(invocation.Succeeded, worker.Host.Diagnostics());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
    }
}
