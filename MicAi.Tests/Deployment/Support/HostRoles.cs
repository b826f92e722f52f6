using MicAi.Host;

namespace MicAi.Tests.Deployment.Support;

/// <summary>What a deployment file may start: <c>dotnet MicAi.Host.dll &lt;role&gt;</c>.</summary>
public static class HostRoles
{
    public static readonly IReadOnlyList<string> All = [.. HostRole.Names];

    /// <summary>Roles that serve HTTP (and so must answer /health on PORT).</summary>
    public static readonly IReadOnlyList<string> Http = [.. HostRole.All.Where(r => r.ServesHttp).Select(r => r.Name)];

    public const string Program = "dotnet";
    public const string Assembly = "MicAi.Host.dll";

    /// <summary>Checks an argv names the Host and exactly one known role; returns the role.</summary>
    public static string RoleOf(IReadOnlyList<string> argv, string where)
    {
        Assert.True(argv.Count == 3 && argv[0] == Program && argv[1] == Assembly,
            $"{where}: expected '{Program} {Assembly} <role>', got '{string.Join(' ', argv)}'");
        Assert.True(All.Contains(argv[2]), $"{where}: '{argv[2]}' is not a Host role ({string.Join('|', All)})");
        return argv[2];
    }

    /// <summary>Render runs commands without a shell: split on spaces, and refuse anything a shell would interpret.</summary>
    public static IReadOnlyList<string> SplitNoShell(string command, string where)
    {
        Assert.DoesNotMatch(@"[""'$`;&|<>*\\]", command);
        return command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
