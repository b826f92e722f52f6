using System.Net;
using MicAi.Core;
using MicAi.Core.Admin;
using MicAi.Core.Agents;
using MicAi.Core.Agents.Llm;
using MicAi.Core.Agents.Tools;
using MicAi.Core.Configuration;
using MicAi.Core.Scheduling;

namespace MicAi.Tests.Agents;

public sealed class PlatformSettingsTests
{
    private static MicAiSettings Load(Dictionary<string, string?> vars)
    {
        vars[AppSettings.Keys.AppEnv] = "test";
        return MicAiSettings.Load(k => vars.GetValueOrDefault(k), new SecretSource(Path.Combine(Path.GetTempPath(), "micai-no-secrets")));
    }

    [Fact]
    public void Defaults_AreCostFree_AndOpen()
    {
        var s = Load([]);
        Assert.Empty(s.Admin.AllowedNetworks);
        Assert.Empty(s.Admin.TrustedProxies);
        Assert.Equal(10, s.Admin.AuthFailuresPerMinute);
        Assert.Equal(new[] { "STOP", "UNSUBSCRIBE" }, s.Agents.OptOutKeywords);
        Assert.Equal("UTC", s.Scheduler.DefaultTimeZone);
        Assert.Equal(new Uri("https://geocoding-api.open-meteo.com/"), s.Weather.GeocodingUrl);
        Assert.Null(s.Llm.ApiKey);
    }

    [Fact]
    public void Networks_AcceptAddressesAndCidrs_AndOneWeatherBaseServesBothApis()
    {
        var s = Load(new()
        {
            [AdminSettings.Keys.AllowedCidrs] = "192.0.2.0/24, 198.51.100.7, 2001:db8::/32",
            [WeatherSettings.Keys.BaseUrl] = "http://127.0.0.1:5000",
        });
        Assert.True(s.Admin.AllowedNetworks[1].Contains(IPAddress.Parse("198.51.100.7")));
        Assert.False(s.Admin.AllowedNetworks[1].Contains(IPAddress.Parse("198.51.100.8")));
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), s.Weather.GeocodingUrl);
    }

    /// <summary>An explicit MICAI_TRUSTED_PROXIES wins over the platform, Render over Azure, and nothing means the peer.</summary>
    [Theory]
    [InlineData(null, null, null, ClientAddressSource.Peer)]
    [InlineData(null, "true", null, ClientAddressSource.Render)]
    [InlineData(null, "True", "micai-func", ClientAddressSource.Render)]
    [InlineData(null, "false", null, ClientAddressSource.Peer)]
    [InlineData(null, null, "micai-func", ClientAddressSource.AzureAppService)]
    [InlineData(null, null, " ", ClientAddressSource.Peer)]
    [InlineData("10.0.0.0/8", "true", null, ClientAddressSource.TrustedProxies)]
    [InlineData("10.0.0.0/8", null, "micai-func", ClientAddressSource.TrustedProxies)]
    [InlineData(" ", "true", null, ClientAddressSource.Render)]
    public void ClientAddressSource_FollowsTheDocumentedPrecedence(string? trustedProxies, string? render, string? siteName, ClientAddressSource expected)
    {
        var s = Load(new()
        {
            [AdminSettings.Keys.TrustedProxies] = trustedProxies,
            [AdminSettings.Keys.Render] = render,
            [AdminSettings.Keys.AzureSiteName] = siteName,
        });
        Assert.Equal(expected, s.Admin.ClientAddressSource);
    }

    [Fact]
    public void Problems_AreReportedTogether()
    {
        var error = Assert.Throws<InvalidSettingsException>(() => Load(new()
        {
            [AdminSettings.Keys.AllowedCidrs] = "10.0.0.0/33",
            [SchedulerSettings.Keys.DefaultTimeZone] = "Mars/Olympus",
            [LlmSettings.Keys.TimeoutSeconds] = "0",
        }));
        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Contains(SchedulerSettings.Keys.DefaultTimeZone, StringComparison.Ordinal));
    }

    [Fact]
    public void ToString_NeverShowsTheLlmKey()
    {
        var s = Load(new() { [LlmSettings.Keys.ApiKey] = "sk-secret-123" });
        Assert.Equal("sk-secret-123", s.Llm.ApiKey);
        Assert.DoesNotContain("sk-secret-123", s.ToString());
    }
}
