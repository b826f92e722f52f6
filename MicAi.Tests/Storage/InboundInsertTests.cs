using MicAi.Core.Inbox;
using MicAi.Core.WhatsApp;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Storage;

/// <summary>Ingest's group commit on the real table: many webhooks stored together, each caller told its own outcome.</summary>
public sealed class InboundInsertTests : IAsyncLifetime
{
    private MicAiApiFactory api = null!;

    public async Task InitializeAsync() => api = new MicAiApiFactory(await MicAiApiFactory.DefaultSettingsAsync("http://127.0.0.1:9/"));

    public async Task DisposeAsync() => await api.DisposeAsync();

    private static InboundMessage Message(string wamid, string type = "text") =>
        new(wamid, Webhooks.PhoneNumberId, "15550003333", "15550003333", null, null, type, type == "text" ? "hi" : null,
            Answerable: type == "text", DateTimeOffset.UtcNow, null, "{}");

    [Fact]
    public async Task InsertNew_OfManyWebhooksAtOnce_StoresEachMessageOnce_AndGivesARacingRedeliveryToOneCallerOnly()
    {
        var store = api.Get<InboundStore>();
        var shared = Webhooks.NewWamid(); // the same message delivered twice at once
        var callers = Enumerable.Range(0, 40).Select(i => (IReadOnlyList<InboundMessage>)(i switch
        {
            0 or 1 => [Message(shared), Message(Webhooks.NewWamid())],
            2 => [Message(Webhooks.NewWamid(), "reaction")], // stored, never answered
            _ => [Message(Webhooks.NewWamid())],
        })).ToList();

        var results = await Task.WhenAll(callers.Select(messages => Task.Run(() => store.InsertNewAsync(messages, CancellationToken.None))));

        var distinct = callers.SelectMany(c => c).Select(m => m.Wamid).Distinct().ToList();
        Assert.Equal(distinct.Count, results.Sum(r => r.Stored));
        Assert.Equal(1, results.Count(r => r.ToAnswer.Contains(shared)));
        Assert.Equal((1, 0), (results[2].Stored, results[2].ToAnswer.Count));
        for (var i = 0; i < callers.Count; i++)
            Assert.Subset(callers[i].Select(m => m.Wamid).ToHashSet(), results[i].ToAnswer.ToHashSet());
        await using var cmd = api.Get<NpgsqlDataSource>().CreateCommand("SELECT count(*) FROM inbound_messages WHERE wamid = ANY($1)");
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. distinct] });
        Assert.Equal(distinct.Count, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task InsertNew_OfAMessageStoredBefore_StoresNothing_AndAnswersNothing()
    {
        var store = api.Get<InboundStore>();
        var wamid = Webhooks.NewWamid();
        Assert.Equal(1, (await store.InsertNewAsync([Message(wamid)], CancellationToken.None)).Stored);

        var again = await store.InsertNewAsync([Message(wamid)], CancellationToken.None);

        Assert.Equal((0, 0), (again.Stored, again.ToAnswer.Count));
    }
}
