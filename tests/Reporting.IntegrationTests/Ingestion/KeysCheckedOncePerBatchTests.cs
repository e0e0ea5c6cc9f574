using Npgsql;
using Reporting.Ingestion;

namespace Reporting.IntegrationTests.Ingestion;

/// <summary>
/// The streaming load checks a batch's foreign keys once per distinct key and moves the rows with the row triggers
/// off (FactLoader.KeysCheckedOnce). That may only be faster, never weaker: missing keys are still refused by
/// PostgreSQL itself, and the referenced rows are locked as a foreign-key check locks them.
/// </summary>
public sealed class KeysCheckedOncePerBatchTests
{
    static async Task<(IntakeScenario S, NpgsqlConnection Conn, NpgsqlTransaction Tx, long VersionId)> OpenAsync()
    {
        var s = await IntakeScenario.CreateAsync();
        var versionId = await s.ReceiveAsync();
        var conn = await s.Db.DataSource.OpenConnectionAsync();
        var tx = await conn.BeginTransactionAsync();
        return (s, conn, tx, versionId);
    }

    static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Facts_with_known_keys_are_stored_and_their_municipalities_stay_locked_until_the_commit()
    {
        var (s, conn, tx, versionId) = await OpenAsync();
        await using var _ = s;
        await using var __ = conn;
        var ags = s.Ags[0];

        await using (var loader = await StreamingFactLoader.StartAsync(conn, versionId, batchRows: 4, default))
        {
            var row = 5;
            foreach (var id in s.OzgIds.Take(10)) loader.Ozg(new OzgLine(ags, id, 2, true, null, "OZG", row++));
            var (loaded, failure) = await loader.CompleteAsync();
            Assert.Null(failure);
            Assert.Equal(10, loaded.Ozg);
        }

        Assert.True(await FactLoader.MayCheckKeysOnceAsync(conn,
            default));   // the embedded cluster's superuser: the fast path ran
        Assert.Equal("origin", await ScalarAsync<string>(conn, "show session_replication_role"));
        Assert.Equal(10L,
            await ScalarAsync<long>(conn, $"select count(*) from ozg_facts where return_version_id = {versionId}"));
        // Deleting the municipality now would leave orphans at our commit: the FOR KEY SHARE lock keeps it.
        await using (var other = await s.Db.DataSource.OpenConnectionAsync())
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() =>
                ScalarAsync<object>(other, $"select 1 from municipalities where ags = '{ags}' for update nowait"));
            Assert.Equal(PostgresErrorCodes.LockNotAvailable, refused.SqlState);
        }
        await tx.CommitAsync();
        Assert.Equal(10L,
            await s.Db.ScalarAsync<long>($"select count(*) from ozg_facts where return_version_id = {versionId}"));
    }

    [Fact]
    public async Task A_batch_with_an_unknown_municipality_is_refused_by_the_database_s_own_foreign_key()
    {
        var (s, conn, _, versionId) = await OpenAsync();
        await using var __ = s;
        await using var ___ = conn;

        await using var loader = await StreamingFactLoader.StartAsync(conn, versionId, batchRows: 4, default);
        loader.Ozg(new OzgLine(s.Ags[0], s.OzgIds[0], 2, true, null, "OZG", 5));
        loader.Ozg(new OzgLine("05999999", s.OzgIds[0], 2, true, null, "OZG", 6));
        var (_, failure) = await loader.CompleteAsync();

        var refused = Assert.IsType<PostgresException>(failure);
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "ozg_facts_ags_fkey"),
            (refused.SqlState, refused.ConstraintName));
    }

    [Fact]
    public async Task A_role_without_the_right_to_switch_row_triggers_keeps_the_row_checks_until_it_is_granted()
    {
        await using var s = await IntakeScenario.CreateAsync();
        await using var conn = await s.Db.DataSource.OpenConnectionAsync();
        var role = "loader_" + Guid.NewGuid().ToString("N")[..8];
        await using (var cmd = new NpgsqlCommand($"create role {role}", conn)) await cmd.ExecuteNonQueryAsync();
        try
        {
            await using (var cmd = new NpgsqlCommand($"set role {role}", conn)) await cmd.ExecuteNonQueryAsync();
            Assert.False(await FactLoader.MayCheckKeysOnceAsync(conn, default));
            await using (
                var cmd = new NpgsqlCommand(
                    $"reset role; grant set on parameter session_replication_role to {role}; set role {role}",
                        conn)) await cmd.ExecuteNonQueryAsync();
            Assert.True(await FactLoader.MayCheckKeysOnceAsync(conn, default));
        }
        finally
        {
            await using var cmd = new NpgsqlCommand(
                $"reset role; revoke set on parameter session_replication_role from {role}; drop role {role}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
