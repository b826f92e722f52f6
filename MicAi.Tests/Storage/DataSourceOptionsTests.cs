using MicAi.Core.Configuration;
using MicAi.Core.Storage;
using MicAi.Tests.Infrastructure;
using Npgsql;

namespace MicAi.Tests.Storage;

/// <summary>The pool's options chosen for the per-message cost, and that an explicit connection string still wins.</summary>
public sealed class DataSourceOptionsTests
{
    private static async Task<NpgsqlConnectionStringBuilder> PoolOptionsAsync(string? query = null)
    {
        await using var core = await CoreServices.StartAsync(migrate: false,
            configure: s => { if (query is not null) s[StorageSettings.Keys.DatabaseUrl] += (s[StorageSettings.Keys.DatabaseUrl]!.Contains('?') ? "&" : "?") + query; });
        return new NpgsqlConnectionStringBuilder(core.Get<NpgsqlDataSource>().ConnectionString);
    }

    [Fact]
    public async Task Pool_PreparesStatements_SkipsTheResetAndProbes_ByDefault()
    {
        var options = await PoolOptionsAsync();
        Assert.Equal(64, options.MaxAutoPrepare);
        Assert.True(options.NoResetOnClose);
        Assert.False(options.Enlist);
        Assert.Equal(GssEncryptionMode.Disable, options.GssEncryptionMode);
    }

    [Fact]
    public async Task Pool_KeepsWhatTheConnectionStringAsksFor()
    {
        var options = await PoolOptionsAsync("max_auto_prepare=8&enlist=true&gss_encryption_mode=prefer&no_reset_on_close=false");
        Assert.Equal(8, options.MaxAutoPrepare);
        Assert.False(options.NoResetOnClose);
        Assert.True(options.Enlist);
        Assert.Equal(GssEncryptionMode.Prefer, options.GssEncryptionMode);
    }

    [Fact]
    public async Task Pool_WithThoseOptions_StillRollsBackWhatAConnectionLeftOpen()
    {
        await using var core = await CoreServices.StartAsync(migrate: false);
        var db = core.Get<NpgsqlDataSource>();
        await using (var connection = await db.OpenConnectionAsync())
        {
            await using var tx = await connection.BeginTransactionAsync();
            await using var cmd = new NpgsqlCommand("CREATE TABLE left_open (id int)", connection, tx);
            await cmd.ExecuteNonQueryAsync();
        } // returned to the pool mid-transaction
        await using var check = db.CreateCommand("SELECT to_regclass('left_open') IS NULL");
        Assert.True((bool)(await check.ExecuteScalarAsync())!);
    }
}
