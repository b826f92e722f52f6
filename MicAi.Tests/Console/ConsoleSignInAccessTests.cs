using MicAi.Core.Admin;
using MicAi.Tests.Admin;
using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Console;

/// <summary>Sign-in goes through the admin API's allowlist and failed-key limiter, not around them.</summary>
public sealed class ConsoleSignInAccessTests
{
    private static async Task<MicAiApiFactory> HostAsync(string key, string value)
    {
        var settings = await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/");
        settings[key] = value;
        var api = new MicAiApiFactory(settings);
        _ = api.Server;
        return api;
    }

    [Fact]
    public async Task SignIn_FromOutsideTheAllowlist_Is403_EvenWithTheRightKey()
    {
        await using var api = await HostAsync(AdminSettings.Keys.AllowedCidrs, "10.0.0.0/8");

        var response = await new ConsoleClient(api).SignInAsync();

        await ProblemAssert.StatusAsync(response, 403);
        Assert.Null(ConsoleClient.SetCookie(response));
    }

    [Fact]
    public async Task SignIn_AfterTooManyWrongKeys_Is429_EvenWithTheRightKey()
    {
        await using var api = await HostAsync(AdminSettings.Keys.AuthFailuresPerMinute, "2");
        var console = new ConsoleClient(api);

        await ProblemAssert.StatusAsync(await console.SignInAsync("wrong-1"), 401);
        await ProblemAssert.StatusAsync(await console.SignInAsync("wrong-2"), 401);
        await ProblemAssert.StatusAsync(await console.SignInAsync("wrong-3"), 429);

        var locked = await console.SignInAsync();
        await ProblemAssert.StatusAsync(locked, 429);
        Assert.Null(ConsoleClient.SetCookie(locked));
    }
}
