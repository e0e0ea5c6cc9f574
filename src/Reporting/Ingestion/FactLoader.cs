using Npgsql;
using NpgsqlTypes;

namespace Reporting.Ingestion;

/// <summary>
/// Loads a return's facts inside the caller's transaction: binary COPY into temporary staging tables (dropped at
/// commit or rollback), then one set-based insert per fact table, its foreign keys checked once per distinct key
/// where the role may (<see cref="KeysCheckedOnce"/>). A rolled-back transaction leaves nothing behind.
/// </summary>
public static class FactLoader
{
    /// <param name="keysOnce">False: the foreign keys are checked row by row even where the role could do better (the benchmark's comparison).</param>
    public static async Task<(int Costs, int Supply, int Ozg)> LoadAsync(NpgsqlConnection conn, long versionId, ParsedReturn parsed, CancellationToken ct, bool keysOnce = true)
    {
        await Exec(conn, StagingTables, ct);

        await using (var w = await conn.BeginBinaryImportAsync("copy stage_cost from stdin (format binary)", ct))
        {
            foreach (var c in parsed.Costs)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(c.ServiceCode, NpgsqlDbType.Text, ct);
                await w.WriteAsync(c.CostType, NpgsqlDbType.Text, ct);
                await w.WriteAsync(c.Amount, NpgsqlDbType.Numeric, ct);
                await w.WriteAsync(c.Sheet, NpgsqlDbType.Text, ct);
                await w.WriteAsync(c.Cell, NpgsqlDbType.Text, ct);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("copy stage_supply from stdin (format binary)", ct))
        {
            foreach (var s in parsed.Supply)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(s.Ags, NpgsqlDbType.Text, ct);
                await w.WriteAsync(s.ServiceCode, NpgsqlDbType.Text, ct);
                await w.WriteAsync(s.Workstations, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(s.Users, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(s.Charges, NpgsqlDbType.Numeric, ct);
                await w.WriteAsync(s.Sheet, NpgsqlDbType.Text, ct);
                await w.WriteAsync(s.Row, NpgsqlDbType.Integer, ct);
            }
            await w.CompleteAsync(ct);
        }
        await CopyOzgAsync(conn, parsed.Ozg, "stage_ozg", ct);

        var once = keysOnce && await MayCheckKeysOnceAsync(conn, ct);
        var costs = await Exec(conn, MoveCosts(versionId), ct);   // a few hundred rows: the row checks cost nothing
        var supply = await Exec(conn, once ? KeysCheckedOnce(MoveSupply(versionId), "stage_supply", versionId, SupplyReferences) : MoveSupply(versionId), ct);
        var ozg = await Exec(conn, once ? KeysCheckedOnce(MoveOzg(versionId), "stage_ozg", versionId, OzgReferences) : MoveOzg(versionId), ct);
        return (costs, supply, ozg);
    }

    /// <summary>Temporary staging tables without constraints, dropped at commit or rollback (also by a rollback to a savepoint before them).</summary>
    internal const string StagingTables = """
        create temp table stage_cost (service_code text, cost_type text, amount numeric, sheet text, cell text) on commit drop;
        create temp table stage_supply (ags text, service_code text, workstations int, users int, charges numeric, sheet text, row_number int) on commit drop;
        create temp table stage_ozg (ags text, ozg_id int, maturity smallint, efa boolean, online_since date, sheet text, row_number int) on commit drop;
        """;

    internal static string MoveCosts(long versionId) => $"""
        insert into cost_facts (return_version_id, service_code, cost_type, amount, sheet, cell)
        select {versionId}, service_code, cost_type, amount, sheet, cell from stage_cost
        """;

    internal static string MoveSupply(long versionId) => $"""
        insert into supply_facts (return_version_id, ags, service_code, workstations, users, charges, sheet, row_number)
        select {versionId}, ags, service_code, workstations, users, charges, sheet, row_number from stage_supply
        """;

    internal static string MoveOzg(long versionId) => $"""
        insert into ozg_facts (return_version_id, ags, ozg_id, maturity, efa, online_since, sheet, row_number)
        select {versionId}, ags, ozg_id, maturity, efa, online_since, sheet, row_number from stage_ozg
        """;

    /// <summary>
    /// Whether this connection may check a batch's foreign keys once per distinct key instead of once per row
    /// (<see cref="KeysCheckedOnce"/>): it must be allowed to set session_replication_role, as a superuser is (the
    /// embedded cluster) or a role granted it with PostgreSQL 15's GRANT SET ON PARAMETER. Others keep the row checks.
    /// </summary>
    internal static async Task<bool> MayCheckKeysOnceAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select case when current_setting('server_version_num')::int >= 150000
                        then null else current_setting('is_superuser') = 'on' end
            """, conn);
        if (await cmd.ExecuteScalarAsync(ct) is bool before15) return before15;
        cmd.CommandText = "select has_parameter_privilege('session_replication_role', 'SET')";
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Wraps a move from a staging table so its foreign keys are checked once per distinct key, not once per row:
    /// PostgreSQL's foreign-key triggers run a lookup for every row (three per OZG fact: 2.3 of 2.8 s for 200,000
    /// facts). The first statement looks up each distinct key of the batch in its referenced table with the lock a
    /// foreign-key check takes (FOR KEY SHARE, so the referenced rows cannot go before we commit) and, only when all
    /// are there, switches the row triggers off for this transaction (session_replication_role = replica) until the
    /// move is done. Any missing key leaves them on, so PostgreSQL itself refuses the row with its usual
    /// foreign-key error. The constraints stay declared; primary keys, NOT NULL and CHECK apply as always.
    /// </summary>
    internal static string KeysCheckedOnce(string move, string stage, long versionId, params (string Column, string Table, string Key)[] references)
    {
        var present = string.Join("\n      and ", references.Select(r =>
            $"(select count(*) from (select distinct {r.Column} from {stage}) k) = " +
            $"(select count(*) from (select from {r.Table} t where t.{r.Key} in (select {r.Column} from {stage}) for key share) l)"));
        return $"""
            select set_config('session_replication_role', case when
                  {present}
                  and exists (select from return_versions where id = {versionId} for key share)
                then 'replica' else 'origin' end, true);
            {move};
            select set_config('session_replication_role', 'origin', true)
            """;
    }

    internal static readonly (string, string, string)[] OzgReferences = [("ags", "municipalities", "ags"), ("ozg_id", "ozg_services", "ozg_id")];
    internal static readonly (string, string, string)[] SupplyReferences = [("ags", "municipalities", "ags"), ("service_code", "services", "code")];

    /// <summary>Binary COPY of OZG lines into a table with the staging columns (the benchmark uses it too).</summary>
    public static async Task CopyOzgAsync(NpgsqlConnection conn, IEnumerable<OzgLine> lines, string table, CancellationToken ct)
    {
        await using var w = await conn.BeginBinaryImportAsync($"copy {table} (ags, ozg_id, maturity, efa, online_since, sheet, row_number) from stdin (format binary)", ct);
        foreach (var o in lines)
        {
            await w.StartRowAsync(ct);
            await w.WriteAsync(o.Ags, NpgsqlDbType.Text, ct);
            await w.WriteAsync(o.OzgId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(o.Maturity, NpgsqlDbType.Smallint, ct);
            await w.WriteAsync(o.Efa, NpgsqlDbType.Boolean, ct);
            if (o.OnlineSince is { } d) await w.WriteAsync(d, NpgsqlDbType.Date, ct); else await w.WriteNullAsync(ct);
            await w.WriteAsync(o.Sheet, NpgsqlDbType.Text, ct);
            await w.WriteAsync(o.Row, NpgsqlDbType.Integer, ct);
        }
        await w.CompleteAsync(ct);
    }

    static async Task<int> Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}
