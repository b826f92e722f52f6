using System.Net;
using MicAi.Core.Admin;
using MicAi.Core.Configuration;
using MicAi.Tests.Functions;
using Xunit.Abstractions;

namespace MicAi.Tests.Admin;

/// <summary>The published Functions worker as it runs on Azure (WEBSITE_SITE_NAME set), with a limit of three.</summary>
public sealed class AzureFunctionsWorkerFixture(IMessageSink diagnostics) : FunctionsWorkerFixture(diagnostics)
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        [AdminSettings.Keys.AzureSiteName] = "micai-func",
        ["MICAI_ADMIN_AUTH_FAILURES_PER_MINUTE"] = "3",
    };
}

/// <summary>
/// The Functions catch-all applies Core's client address and limit like the Host. Requests arrive as the Functions
/// host forwards them on Azure: the host replaces X-Forwarded-For with the address it saw (the front end's, the same
/// for everyone; YARP's default "Set") and passes the front end's Client-IP through unchanged.
/// </summary>
public sealed class FunctionsBehindFrontEndTests(AzureFunctionsWorkerFixture fx) : IClassFixture<AzureFunctionsWorkerFixture>
{
    private const string FrontEnd = "10.0.0.9";

    private async Task<HttpStatusCode> StatsAsync(string clientIp, string key, string? forgedXClientIp = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/manage/stats");
        request.Headers.Add("x-admin-key", key);
        request.Headers.Add(ClientAddressResolver.AzureClientIp, clientIp);
        request.Headers.Add("X-Forwarded-For", FrontEnd);
        if (forgedXClientIp is not null) request.Headers.Add("X-Client-IP", forgedXClientIp);
        var (response, invocation) = await fx.Host.InvokeHttpAsync("Admin", request, CancellationToken.None);
        Assert.True(invocation.Succeeded, $"Admin failed: {invocation.Exception}\n{fx.Host.Diagnostics()}");
        return response.StatusCode;
    }

    [Fact]
    public async Task BadKeys_LockOutTheAttacker_ButNotAnOperatorBehindTheSameFrontEnd()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, await StatsAsync("203.0.113.66:50123", "wrong-" + i));

        Assert.Equal(HttpStatusCode.TooManyRequests, await StatsAsync("203.0.113.66:50124", "wrong-3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatsAsync("203.0.113.66:50125", FunctionsWorkerFixture.AdminKey, forgedXClientIp: "198.51.100.7"));
        Assert.Equal(HttpStatusCode.OK, await StatsAsync("198.51.100.7:40000", FunctionsWorkerFixture.AdminKey));
    }
}
