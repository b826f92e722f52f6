using MicAi.Core;
using MicAi.Core.Configuration;

namespace MicAi.Tests.Configuration;

public class SmokeTests
{
    [Fact]
    public void Load_UsesDevDefaults_WhenNothingIsSet()
    {
        var s = MicAiSettings.Load(_ => null, new SecretSource(Path.GetTempPath()));
        Assert.Equal(AppEnvironment.Dev, s.App.Environment);
        Assert.Equal(8000, s.Hosting.Port);
    }
}
