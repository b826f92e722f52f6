using System.Net;
using MicAi.Core.Admin;
using MicAi.Core.Agents;
using MicAi.Core.Configuration;

namespace MicAi.Tests.Agents;

public sealed class PlatformSettingsTests
{
    private static PlatformSettings Load(Dictionary<string, string?> vars) =>
        PlatformSettings.Load(k => vars.GetValueOrDefault(k), new SecretSource(Path.Combine(Path.GetTempPath(), "micai-no-secrets")), AppEnvironment.Test);

    [Fact]
    public void Defaults_AreCostFree_AndOpen()
    {
        var s = Load([]);
        Assert.Empty(s.AdminAllowedNetworks);
        Assert.Empty(s.TrustedProxies);
        Assert.Equal(10, s.AdminAuthFailuresPerMinute);
        Assert.Equal(new[] { "STOP", "UNSUBSCRIBE" }, s.OptOutKeywords);
        Assert.Equal("UTC", s.DefaultTimeZone);
        Assert.Equal(new Uri("https://geocoding-api.open-meteo.com/"), s.WeatherGeocodingUrl);
        Assert.Null(s.LlmApiKey);
    }

    [Fact]
    public void Networks_AcceptAddressesAndCidrs_AndOneWeatherBaseServesBothApis()
    {
        var s = Load(new()
        {
            [PlatformSettings.Keys.AdminAllowedCidrs] = "192.0.2.0/24, 198.51.100.7, 2001:db8::/32",
            [PlatformSettings.Keys.WeatherBaseUrl] = "http://127.0.0.1:5000",
        });
        Assert.True(s.AdminAllowedNetworks[1].Contains(IPAddress.Parse("198.51.100.7")));
        Assert.False(s.AdminAllowedNetworks[1].Contains(IPAddress.Parse("198.51.100.8")));
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), s.WeatherGeocodingUrl);
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
            [PlatformSettings.Keys.TrustedProxies] = trustedProxies,
            [ClientAddressSources.RenderVariable] = render,
            [ClientAddressSources.AzureSiteVariable] = siteName,
        });
        Assert.Equal(expected, s.ClientAddressSource);
    }

    [Fact]
    public void Problems_AreReportedTogether()
    {
        var error = Assert.Throws<InvalidSettingsException>(() => Load(new()
        {
            [PlatformSettings.Keys.AdminAllowedCidrs] = "10.0.0.0/33",
            [PlatformSettings.Keys.DefaultTimeZone] = "Mars/Olympus",
            [PlatformSettings.Keys.LlmTimeoutSeconds] = "0",
        }));
        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Contains(PlatformSettings.Keys.DefaultTimeZone, StringComparison.Ordinal));
    }

    [Fact]
    public void ToString_NeverShowsTheLlmKey()
    {
        var s = Load(new() { [PlatformSettings.Keys.LlmApiKey] = "sk-secret-123" });
        Assert.Equal("sk-secret-123", s.LlmApiKey);
        Assert.DoesNotContain("sk-secret-123", s.ToString());
    }
}
