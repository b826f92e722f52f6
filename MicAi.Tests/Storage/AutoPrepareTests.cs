using System.Net;
using MicAi.Core.Configuration;
using MicAi.Core.Storage;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Storage;

/// <summary>
/// Why U+0000 is refused at the edge (Http.StorableText) instead of left to Postgres: a statement that fails while
/// binding on the use that auto-prepares it breaks its next run on that connection. One connection and
/// "Auto Prepare Min Usages=2" put the failing use exactly on the preparing one.
/// </summary>
public sealed class AutoPrepareTests
{
    private static string OneConnectionPreparingOnSecondUse(string databaseUrl) =>
        new NpgsqlConnectionStringBuilder(ConnectionStrings.ToNpgsql(databaseUrl))
        {
            MaxPoolSize = 1,
            MaxAutoPrepare = 8,
            AutoPrepareMinUsages = 2,
        }.ConnectionString;

    [Fact]
    public async Task Npgsql_FailsTheNextRunOfAStatement_WhenItsPreparingUseFailedToBindUPlus0000()
    {
        await using var db = NpgsqlDataSource.Create(OneConnectionPreparingOnSecondUse(await TestServers.CreateDatabaseAsync()));
        async Task<string?> RunAsync(string text)
        {
            await using var cmd = db.CreateCommand("SELECT $1::text || '!' AS said");
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text });
            return (string?)await cmd.ExecuteScalarAsync();
        }

        Assert.Equal("a!", await RunAsync("a"));
        Assert.Equal(PostgresErrorCodes.CharacterNotInRepertoire, (await Assert.ThrowsAsync<PostgresException>(() => RunAsync("b\0"))).SqlState);
        var broken = await Assert.ThrowsAnyAsync<Exception>(() => RunAsync("c")); // a good value, on the same connection
        Assert.Contains("unexpected backend message", broken.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Webhook_AnswersEveryGoodBody_OnTheConnectionWhereABodyWithUPlus0000CameAtTheInsertsPreparingUse()
    {
        var settings = await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/");
        // Migrations need a second connection (DbUp's, beside the advisory lock's): they go to the "direct" URL. The
        // one-connection URL names Max Auto Prepare itself, so it keeps preparing although a direct URL is set.
        settings[StorageSettings.Keys.DatabaseDirectUrl] = settings[StorageSettings.Keys.DatabaseUrl];
        settings[StorageSettings.Keys.DatabaseUrl] = OneConnectionPreparingOnSecondUse(settings[StorageSettings.Keys.DatabaseUrl]!);
        await using var api = new MicAiApiFactory(settings);
        var http = api.CreateClient();
        async Task<HttpStatusCode> PostAsync(string text) =>
            (await http.SendAsync(Webhooks.Post(Webhooks.Text("15550009997", Webhooks.NewWamid(), text)))).StatusCode;

        Assert.Equal(HttpStatusCode.OK, await PostAsync("first"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("a\u0000b"));
        Assert.Equal(HttpStatusCode.OK, await PostAsync("second"));
        Assert.Equal(HttpStatusCode.OK, await PostAsync("third"));
        Assert.Equal(3L, await api.Get<NpgsqlDataSource>().ScalarAsync<long>("SELECT count(*) FROM inbound_messages"));
    }
}
