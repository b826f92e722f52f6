using MicAi.Tests.Infrastructure;

namespace MicAi.Tests.Deployment.Support;

/// <summary>The environment a deployment platform gives the published Host.</summary>
public static class DeploymentEnvironment
{
    /// <summary>
    /// The image's ENV, then what a platform injects: secrets standing in for an operator's (prod accepts them: not
    /// dev defaults, not change-me), this test's database and Redis prefix, and a free port in place of 8000.
    /// </summary>
    public static Dictionary<string, string?> Prod(TestDatabase db, int port)
    {
        var env = DockerfileModel.Load().Env.ToDictionary(p => p.Key, p => (string?)p.Value.Trim('"'));
        foreach (var (k, v) in Platform(db, port)) env[k] = v;
        return env;
    }

    /// <summary>What a platform injects (the image's ENV aside); a null value unsets the variable.</summary>
    public static Dictionary<string, string?> Platform(TestDatabase db, int port) => new()
    {
        ["MICAI_APP_ENV"] = "prod",
        ["MICAI_DATABASE_URL"] = db.Url,
        ["MICAI_REDIS_URL"] = TestServers.RedisUrl,
        ["MICAI_REDIS_KEY_PREFIX"] = db.Name,
        ["MICAI_ADMIN_API_KEY"] = "deploy-test-admin-key",
        ["MICAI_WHATSAPP_VERIFY_TOKEN"] = "deploy-test-verify-token",
        ["MICAI_WHATSAPP_ACCESS_TOKEN"] = "deploy-test-access-token",
        ["MICAI_WHATSAPP_PHONE_NUMBER_ID"] = "106540352242922",
        ["MICAI_WHATSAPP_APP_SECRET"] = "deploy-test-app-secret",
        // Nothing may leave the machine: Graph calls (none expected) would go to a closed loopback port.
        ["MICAI_WHATSAPP_GRAPH_BASE_URL"] = "http://127.0.0.1:9",
        ["MICAI_OUTBOUND_REPLY_ENABLED"] = "false",
        ["MICAI_ROLE"] = null,
        ["PORT"] = port.ToString(),
    };
}
