using MicAi.Tests.Deployment.Support;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Deployment;

/// <summary>
/// The settings compose.yml gives its Postgres are ones Postgres accepts: a misspelt name or unit would stop the
/// container at start, which no test here can run, so each is set on the test server instead.
/// </summary>
public sealed class ComposePostgresSettingsTests
{
    [Fact]
    public async Task Compose_PostgresFlushesBackendWritesEvery256Kb_AndPostgresAcceptsEverySettingItIsGiven()
    {
        var command = ComposeFile.Command(ComposeFile.Load().Service("postgres"));
        Assert.Equal("postgres", command[0]);
        var settings = command.Skip(1).Chunk(2).Select(pair =>
        {
            Assert.Equal("-c", pair[0]);
            var eq = pair[1].IndexOf('=');
            return (Name: pair[1][..eq], Value: pair[1][(eq + 1)..]);
        }).ToDictionary();

        await using var core = await CoreServices.StartAsync();
        await using var connection = await core.Get<NpgsqlDataSource>().OpenConnectionAsync();
        var applied = new Dictionary<string, string>();
        foreach (var (name, value) in settings)
        {
            await using var set = new NpgsqlCommand("SELECT set_config($1, $2, false)", connection) { Parameters = { new() { Value = name }, new() { Value = value } } };
            await set.ExecuteScalarAsync(); // throws on an unknown name or a value out of range
            await using var read = new NpgsqlCommand("SELECT setting FROM pg_settings WHERE name = $1", connection) { Parameters = { new() { Value = name } } };
            applied[name] = (string)(await read.ExecuteScalarAsync())!;
        }

        Assert.Equal("32", applied["backend_flush_after"]); // in 8 kB pages
    }
}
