using MicAi.Core.Configuration;
using MicAi.Core.Outbox;
using MicAi.Core.Queue;
using MicAi.Tests.Infrastructure;
using MicAi.Tests.WhatsApp;
using Npgsql;
using StackExchange.Redis;

namespace MicAi.Tests.Outbox;

/// <summary>One ledger row as the tests see it.</summary>
public sealed record LedgerRow(string Status, int Attempts, int? ErrorCode, string? ErrorText, string Kind, string? TemplateName, string? ProviderId);

/// <summary>
/// The real Host (in memory) with its own database, Redis prefix and Graph stub, plus helpers to put send jobs on
/// the queue and run the real JobRunner over them.
/// </summary>
public sealed class OutboxHost : IAsyncDisposable
{
    private readonly bool ownsGraph;

    private OutboxHost(GraphStub graph, MicAiApiFactory api, Dictionary<string, string?> settings, bool ownsGraph = true)
    {
        this.ownsGraph = ownsGraph;
        Graph = graph;
        Api = api;
        Settings = settings;
    }

    public GraphStub Graph { get; }
    public MicAiApiFactory Api { get; }
    public Dictionary<string, string?> Settings { get; }
    public NpgsqlDataSource Db => Api.Get<NpgsqlDataSource>();
    public IDatabase Redis => Api.Get<IConnectionMultiplexer>().GetDatabase();
    public RedisKeys Keys => Api.Get<RedisKeys>();
    public TimeProvider Time => Api.Get<TimeProvider>();

    public static async Task<OutboxHost> StartAsync(Action<Dictionary<string, string?>>? configure = null, TimeProvider? time = null)
    {
        var graph = await GraphStub.StartAsync();
        var settings = await MicAiApiFactory.DefaultSettingsAsync(graph.BaseUrl);
        // Most tests are about one send at a time; pacing tests set their own rates.
        settings[OutboundSettings.Keys.RecipientMinIntervalMs] = "0";
        configure?.Invoke(settings);
        var api = new MicAiApiFactory(settings, time);
        _ = api.Server; // start now: runs migrations
        return new OutboxHost(graph, api, settings);
    }

    /// <summary>A second Host over the same database and Redis prefix: another worker process, as far as MicAi can tell.</summary>
    public OutboxHost Sibling() => new(Graph, new MicAiApiFactory(Settings), Settings, ownsGraph: false);

    private static long nextRecipient = Random.Shared.NextInt64(1_000_000_000L, 9_000_000_000L);

    /// <summary>A phone-like wa_id no other test in this run uses.</summary>
    public static string NewRecipient() => "1" + Interlocked.Increment(ref nextRecipient);

    /// <summary>A contact who last wrote <paramref name="lastInboundAgo"/> ago (by the Host's clock); null = never wrote.</summary>
    public async Task AddContactAsync(string waId, TimeSpan? lastInboundAgo)
    {
        await using var cmd = Db.CreateCommand("""
            INSERT INTO contacts (wa_id, last_inbound_at) VALUES ($1, $2)
            ON CONFLICT (wa_id) DO UPDATE SET last_inbound_at = EXCLUDED.last_inbound_at
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = waId });
        cmd.Parameters.Add(new NpgsqlParameter<DateTime?>
        {
            TypedValue = lastInboundAgo is { } ago ? (Time.GetUtcNow() - ago).UtcDateTime : null,
        });
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Writes a ledger row and puts its send job on the stream.</summary>
    public async Task<string> QueueSendAsync(OutboundDraft draft)
    {
        await Api.Get<OutboundLedger>().InsertAsync(draft, CancellationToken.None);
        await Api.Get<JobStream>().EnqueueAsync([Job.New(JobTypes.Send, draft.IdempotencyKey, Time.GetUtcNow())]);
        return draft.IdempotencyKey;
    }

    public Task<string> QueueTextAsync(string waId, string body = "hello from MicAi", string? key = null) =>
        QueueSendAsync(new OutboundDraft(key ?? $"test:{Guid.NewGuid():N}", waId, Webhooks.PhoneNumberId, "text", body));

    /// <summary>Runs the worker until the stream is empty (retries wait in the delayed set).</summary>
    public async Task DrainAsync(string consumer = "test")
    {
        var runner = Api.Get<JobRunner>();
        while (await runner.RunOnceAsync(consumer, CancellationToken.None) > 0) { }
    }

    public async Task<LedgerRow> RowAsync(string key)
    {
        await using var cmd = Db.CreateCommand("""
            SELECT status, attempts, error_code, error_text, kind, template_name, provider_message_id
            FROM outbound_messages WHERE idempotency_key = $1
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), $"no ledger row {key}");
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new LedgerRow(r.GetString(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetInt32(2), S(3), r.GetString(4), S(5), S(6));
    }

    /// <summary>The retries waiting in the delayed set, with their due times.</summary>
    public async Task<(Job Job, DateTimeOffset Due)[]> DelayedAsync() =>
        (await Redis.SortedSetRangeByRankWithScoresAsync(Keys.DelayedJobs))
        .Select(e => (Job.Deserialize(e.Element!)!, DateTimeOffset.FromUnixTimeMilliseconds((long)e.Score)))
        .ToArray();

    /// <summary>A Graph error fixture as a stub answer, with the HTTP status the manifest pairs it with.</summary>
    public static (int Status, string Body, string? RetryAfter) Fixture(string file, string? retryAfter = null) =>
        (MetaFixtures.Entry(file).GetProperty("http_status").GetInt32(), System.Text.Encoding.UTF8.GetString(MetaFixtures.Bytes(file)), retryAfter);

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        if (ownsGraph) await Graph.DisposeAsync();
    }
}
