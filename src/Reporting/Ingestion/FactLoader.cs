using Npgsql;

namespace Reporting.Ingestion;

/// <summary>
/// Loads a return's facts inside the caller's transaction: binary COPY into temporary staging tables (dropped at
/// commit or rollback), then one set-based insert per fact table, its foreign keys checked once per distinct key
/// where the role may (<see cref="KeysCheckedOnce"/>). A rolled-back transaction leaves nothing behind. The SQL
/// lives here; <see cref="StreamingFactLoader"/> runs it batch by batch, also for a return parsed as a whole.
/// </summary>
public static class FactLoader
{
    /// <param name="keysOnce">False: the foreign keys are checked row by row even where the role could do better (the
    /// benchmark's comparison).</param>
    public static async Task<(int Costs, int Supply, int Ozg)> LoadAsync(NpgsqlConnection conn, long versionId,
        ParsedReturn parsed, CancellationToken ct, bool keysOnce = true)
    {
        (int Costs, int Supply, int Ozg) loaded;
        Exception? failure;
        await using (var loader = await StreamingFactLoader.StartAsync(conn, versionId, StreamingFactLoader.BatchRows,
            ct, keysOnce))
        {
            foreach (var c in parsed.Costs) loader.Cost(c);
            foreach (var s in parsed.Supply) loader.Supply(s);
            foreach (var o in parsed.Ozg) loader.Ozg(o);
            (loaded, failure) = await loader.CompleteAsync();
        }
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return loaded;
    }

    /// <summary>
    /// Temporary staging tables without constraints, dropped at commit or rollback (also by a rollback to a savepoint
    /// before them).
    /// </summary>
    internal const string StagingTables = """
        create temp table stage_cost (service_code text, cost_type text, amount numeric, sheet text, cell text) on
          commit drop;
        create temp table stage_supply (ags text, service_code text, workstations int, users int, charges numeric, sheet
          text, row_number int) on commit drop;
        create temp table stage_ozg (ags text, ozg_id int, maturity smallint, efa boolean, online_since date, sheet
          text, row_number int) on commit drop;
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
        await using var cmd = new NpgsqlCommand(conn.PostgreSqlVersion.Major >= 15
            ? "select has_parameter_privilege('session_replication_role', 'SET')"   // true for a superuser too
            : "select current_setting('is_superuser') = 'on'", conn);
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
    internal static string KeysCheckedOnce(string move, string stage, long versionId, Reference[] references)
    {
        var present = string.Join("\n      and ", references.Select(r =>
            $"(select count(*) from (select distinct {r.Column} from {stage}) k) = " +
            $"(select count(*) from (select from {r.Table} t where t.{r.Key} in (select {r.Column} from {stage}) for "
                + $"key share) l)"));
        return $"""
            select set_config('session_replication_role', case when
                  {present}
                  and exists (select from return_versions where id = {versionId} for key share)
                then 'replica' else 'origin' end, true);
            {move};
            select set_config('session_replication_role', 'origin', true)
            """;
    }

    /// <summary>A foreign key of a staging table's rows: its column, and the referenced table and key.</summary>
    internal readonly record struct Reference(string Column, string Table, string Key);

    internal static readonly Reference[] OzgReferences = [new("ags", "municipalities", "ags"),
        new("ozg_id", "ozg_services", "ozg_id")];
    internal static readonly Reference[] SupplyReferences = [new("ags", "municipalities", "ags"),
        new("service_code", "services", "code")];
}
