using MicAi.Core.Storage;
using MicAi.Tests.Deployment.Support;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Storage;

/// <summary>
/// migrate on a Python mic.ai database: its tables are renamed python_*, MicAi's schema is created, and its rows are
/// copied in (rules, agents, bindings, turns, seen ids, the ledger, schedules); a second run changes nothing.
/// </summary>
public sealed class PythonConversionTests
{
    private static Task<CoreServices> StartAsync(string url) =>
        CoreServices.StartAsync(migrate: false, configure: s => s[StorageSettings.Keys.DatabaseUrl] = url);

    [Fact]
    public async Task Migrate_ConvertsAPythonDatabase_KeepingItsTablesRenamed()
    {
        await using var core = await StartAsync(await PythonDatabaseFixture.CreateAsync());
        var db = core.Get<NpgsqlDataSource>();

        Assert.True(await core.Get<Migrator>().ApplyAsync(CancellationToken.None) > 0);

        Assert.Equal("python_agent_rules,python_conversation_turns,python_inbound_dedup,python_outbound_sends,python_schedules,python_user_agent_bindings",
            await db.ScalarAsync<string>("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'python\\_%'"));
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM python_agent_rules"));
        Assert.Equal("python_agent_rules_pkey", await db.ScalarAsync<string>("SELECT conname FROM pg_constraint WHERE conrelid = 'python_agent_rules'::regclass AND contype = 'p'"));
        Assert.Equal("agent_rules_pkey", await db.ScalarAsync<string>("SELECT conname FROM pg_constraint WHERE conrelid = 'agent_rules'::regclass AND contype = 'p'"));
    }

    [Fact]
    public async Task Migrate_ImportsRulesAndAgents_FromAPythonDatabase()
    {
        await using var core = await StartAsync(await PythonDatabaseFixture.CreateAsync());
        await core.Get<Migrator>().ApplyAsync(CancellationToken.None);
        var db = core.Get<NpgsqlDataSource>();

        // The default agent keeps the tools MicAi gives it (weather, remind: 0020) and the Python rules need (weather).
        Assert.Equal("default-agent:true:{weather,remind},sales-agent:false:{}", await db.ScalarAsync<string>(
            "SELECT string_agg(external_id || ':' || is_default || ':' || allowed_tools::text, ',' ORDER BY external_id) FROM agents"));
        Assert.Equal(
            "greet|default-agent|keyword|t|10|{hello,hi}||reply_text||Hello from the default agent!;" +
            "old-promo|sales-agent|keyword|f|1|{promo}||reply_text||This promotion has ended.;" +
            "order|sales-agent|prefix|t|15|{}|order|reply_text||Thanks! A person will confirm your order.;" +
            "prices|sales-agent|keyword|t|5|{price,prices,cost}||reply_text||Our prices: basic 10, pro 25.;" +
            "weather-kw|default-agent|keyword|t|20|{weather}||tool|weather|",
            await db.ScalarAsync<string>("""
                SELECT string_agg(concat_ws('|', r.external_id, a.external_id, r.rule_type, r.enabled, r.priority, r.keywords::text,
                       coalesce(r.prefix, ''), r.action, coalesce(r.tool, ''), coalesce(r.reply_text, '')), ';' ORDER BY r.external_id)
                FROM agent_rules r JOIN agents a ON a.id = r.agent_id
                """));
    }

    [Fact]
    public async Task Migrate_ImportsBindingsTurnsSeenIdsLedgerAndSchedules_FromAPythonDatabase()
    {
        await using var core = await StartAsync(await PythonDatabaseFixture.CreateAsync());
        await core.Get<Migrator>().ApplyAsync(CancellationToken.None);
        var db = core.Get<NpgsqlDataSource>();

        Assert.Equal("15557775001:sales-agent:false:true,15557775002:default-agent:true:true,15557775003:sales-agent:false:true", await db.ScalarAsync<string>("""
            SELECT string_agg(c.wa_id || ':' || a.external_id || ':' || c.opted_out || ':' || (c.last_inbound_at < now()), ',' ORDER BY c.wa_id)
            FROM contacts c JOIN agents a ON a.id = c.agent_id
            """));
        Assert.Equal("15557775001:rule:prices:Our prices: basic 10, pro 25.,15557775002:rule:greet:Hello from the default agent!", await db.ScalarAsync<string>("""
            SELECT string_agg(t.wa_id || ':' || t.responder || ':' || r.external_id || ':' || t.reply_text, ',' ORDER BY t.wa_id)
            FROM conversation_turns t JOIN agent_rules r ON r.id = t.matched_rule_id
            """));
        Assert.Equal("wamid.PYTHONSEEN0001:processed,wamid.PYTHONSEEN0002:processed", await db.ScalarAsync<string>(
            "SELECT string_agg(wamid || ':' || status, ',' ORDER BY wamid) FROM inbound_messages"));
        Assert.Equal("reply:wamid.PYTHONSEEN0001:sent:wamid.OUTPY0001,reply:wamid.PYTHONSEEN0002:failed:", await db.ScalarAsync<string>(
            "SELECT string_agg(idempotency_key || ':' || status || ':' || coalesce(provider_message_id, ''), ',' ORDER BY idempotency_key) FROM outbound_messages"));
        Assert.Equal("daily-tip:sales-agent:1440:t::t,paused:sales-agent:10080:f:winback_v1:t", await db.ScalarAsync<string>("""
            SELECT string_agg(concat_ws(':', s.external_id, a.external_id, s.interval_minutes, s.enabled, coalesce(s.template_name, ''),
                                        s.next_run_at > now()), ',' ORDER BY s.external_id)
            FROM schedules s JOIN agents a ON a.id = s.agent_id
            """));
    }

    [Fact]
    public async Task Migrate_ChangesNothing_WhenRunASecondTimeOnAConvertedPythonDatabase()
    {
        await using var core = await StartAsync(await PythonDatabaseFixture.CreateAsync());
        await core.Get<Migrator>().ApplyAsync(CancellationToken.None);
        var db = core.Get<NpgsqlDataSource>();
        var before = await db.ScalarAsync<string>(PythonDatabaseFixture.Snapshot);

        Assert.Equal(0, await core.Get<Migrator>().ApplyAsync(CancellationToken.None));
        Assert.Equal(before, await db.ScalarAsync<string>(PythonDatabaseFixture.Snapshot));
        Assert.Equal(["nothing to do: the schema is current"], await core.Get<Migrator>().PlanAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_FinishesTheImport_WhenTheRenameCommittedButTheScriptsDidNotRun()
    {
        var url = await PythonDatabaseFixture.CreateAsync();
        await using var core = await StartAsync(url);
        var db = core.Get<NpgsqlDataSource>();
        // A crash right after the rename: the Python tables have stepped aside, no MicAi script has run.
        await using (var connection = await db.OpenConnectionAsync()) await PythonDatabase.RenameAsync(connection, CancellationToken.None);

        await core.Get<Migrator>().ApplyAsync(CancellationToken.None);

        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM agent_rules"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM schedules WHERE external_id IS NOT NULL"));
    }

    /// <summary>The rollback of DEPLOYMENT.md §18, as an operator pastes it into psql.</summary>
    private static string RunbookRollbackSql()
    {
        var guide = RepoFiles.Read("DEPLOYMENT.md");
        var section = guide[guide.IndexOf("## 18. Switching over from the Python mic.ai service", StringComparison.Ordinal)..];
        var start = section.IndexOf("```sql\n", StringComparison.Ordinal) + "```sql\n".Length;
        return section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task RunbookRollback_GivesThePythonTablesBackTheirNames_AndALaterMigrateConvertsAgain()
    {
        await using var core = await StartAsync(await PythonDatabaseFixture.CreateAsync());
        await core.Get<Migrator>().ApplyAsync(CancellationToken.None);
        var db = core.Get<NpgsqlDataSource>();

        await db.ExecuteAsync(RunbookRollbackSql());

        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM agent_rules WHERE keywords_csv <> '' OR prefix IS NOT NULL"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM inbound_dedup"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM micai_rollback.agent_rules WHERE external_id = 'greet'"));
        Assert.True(await core.Get<Migrator>().ApplyAsync(CancellationToken.None) > 0);
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM agent_rules WHERE external_id IS NOT NULL"));
    }

    [Fact]
    public async Task DryRun_ListsTheRenamesScriptsAndImport_AndChangesNothing()
    {
        await using var core = await StartAsync(await PythonDatabaseFixture.CreateAsync());
        var db = core.Get<NpgsqlDataSource>();

        var plan = await core.Get<Migrator>().PlanAsync(CancellationToken.None);

        Assert.Equal("rename the Python table agent_rules to python_agent_rules (5 rows; kept until an operator drops it)", plan[0]);
        Assert.Equal(6, plan.Count(l => l.StartsWith("rename the Python table", StringComparison.Ordinal)));
        Assert.Equal("apply migration 0001_init.sql", plan[6]);
        Assert.Contains("apply migration 0041_python_import.sql", plan);
        Assert.Equal("import from the Python tables: 2 agents (default-agent is the default agent), 5 rules, 3 contacts, 2 conversation turns, " +
                     "2 seen message ids, 2 ledger rows, 2 schedules", plan[^1]);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'python\\_%'"));
    }

    [Fact]
    public async Task Migrate_LeavesAMicAiDatabase_WithoutPythonTables_AsBefore()
    {
        await using var core = await CoreServices.StartAsync();
        var db = core.Get<NpgsqlDataSource>();

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM agents"));
        Assert.Equal("default-agent", await db.ScalarAsync<string>("SELECT external_id FROM agents WHERE is_default"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'python\\_%'"));
    }
}
