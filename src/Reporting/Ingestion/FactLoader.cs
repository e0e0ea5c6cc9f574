using Npgsql;
using NpgsqlTypes;

namespace Reporting.Ingestion;

/// <summary>
/// Loads a return's facts inside the caller's transaction: binary COPY into temporary staging tables (dropped at
/// commit or rollback), then one set-based insert per fact table. A rolled-back transaction leaves nothing behind.
/// </summary>
public static class FactLoader
{
    public static async Task<(int Costs, int Supply, int Ozg)> LoadAsync(NpgsqlConnection conn, long versionId, ParsedReturn parsed, CancellationToken ct)
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

        var costs = await Exec(conn, MoveCosts(versionId), ct);
        var supply = await Exec(conn, MoveSupply(versionId), ct);
        var ozg = await Exec(conn, MoveOzg(versionId), ct);
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
