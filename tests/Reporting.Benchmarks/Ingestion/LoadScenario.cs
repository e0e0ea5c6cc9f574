using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reporting.Database;
using Reporting.Ingestion;

namespace Reporting.Benchmarks.Ingestion;

/// <summary>
/// "load": the same 200,000 OZG facts stored as ingestion stores them (binary COPY into a staging table, then one
/// set-based insert) against the obvious alternative (multi-row INSERT, 1,000 rows per statement), each in one
/// transaction, on a throwaway database of the embedded cluster in .local/postgres-bench.
/// </summary>
public sealed class LoadScenario : Scenario
{
    const int Municipalities = 1000, OzgServices = 200, BatchRows = 1000;

    public override string Name => "load";
    public override string Description
        => "200,000 OZG facts: batched INSERT (1,000 rows/statement) vs binary COPY + set-based insert (foreign keys "
            + "per row, once per key) vs COPY straight into ozg_facts";

    string serverConnection = "";
    string database = "";
    NpgsqlDataSource? db;
    readonly List<OzgLine> lines = [];

    public override async Task<string> SetUpAsync(BenchmarkContext context)
    {
        var root = Path.Combine(AppPaths.FindContentRoot(), ".local", "postgres-bench");
        serverConnection = await new EmbeddedPostgres(root, new DatabaseOptions(),
            NullLogger.Instance).EnsureStartedAsync("postgres");
        database = $"bench_load_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(serverConnection))
        {
            await conn.OpenAsync();
            await new NpgsqlCommand($"create database {database}", conn).ExecuteNonQueryAsync();
        }
        db = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(serverConnection) { Database = database }.ConnectionString);
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        await Exec($"""
            insert into regions values ('058', 'Benchland');
            insert into districts values ('05811', 'Benchkreis', 'Kreis', '058');
            insert into municipalities (ags, ars, name, kind, district_key, population, population_as_of)
              select '0581' || lpad(i::text, 4, '0'), '0581' || lpad(i::text, 8, '0'), 'Gemeinde ' || i, 'Gemeinde',
                '05811', 10000, '2024-12-31'
              from generate_series(1, {Municipalities}) i;
            insert into ozg_services (ozg_id, name, life_situation, topic) select i, 'Leistung ' || i, 'Lage', 'Thema'
              from generate_series(1, {OzgServices}) i;
            insert into providers (code, name) values ('BENCH', 'Bench');
            insert into periods values ('2025', '2025-01-01', '2025-12-31', '2026-03-31', false);
            """);
        var rnd = new Random(42);
        var row = 5;
        for (var m = 1; m <= Municipalities; m++)
            for (var o = 1; o <= OzgServices; o++)
                lines.Add(new($"0581{m:0000}", o, (short)rnd.Next(0, 5), rnd.Next(2) == 0, rnd.Next(3) == 0
                    ? null : new DateOnly(2020, 1, 1).AddDays(rnd.Next(2000)), "OZG", row++));
        return $"{lines.Count:N0} OZG facts";
    }

    public override IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context)
    {
        yield return ($"batched INSERT ({BatchRows:N0} rows/statement)", async () =>
        {
            var version = await NewVersionAsync();
            await using var conn = await db!.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            foreach (var chunk in lines.Chunk(BatchRows))
            {
                var sql = new StringBuilder(
                    "insert into ozg_facts (return_version_id, ags, ozg_id, maturity, efa, online_since, sheet, "
                        + "row_number) values ");
                await using var cmd = new NpgsqlCommand { Connection = conn };
                for (var i = 0; i < chunk.Length; i++)
                {
                    var b = i * 7;
                    sql.Append(i == 0 ? "" : ",")
                        .Append($"({version},${b + 1},${b + 2},${b + 3},${b + 4},${b + 5},${b + 6},${b + 7})");
                    var o = chunk[i];
                    cmd.Parameters.Add(new() { Value = o.Ags });
                    cmd.Parameters.Add(new() { Value = o.OzgId });
                    cmd.Parameters.Add(new() { Value = o.Maturity });
                    cmd.Parameters.Add(new() { Value = o.Efa });
                    cmd.Parameters.Add(new() { Value = o.OnlineSince is { } d ? d : DBNull.Value,
                        NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
                    cmd.Parameters.Add(new() { Value = o.Sheet });
                    cmd.Parameters.Add(new() { Value = o.Row });
                }
                cmd.CommandText = sql.ToString();
                await cmd.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
            return await CountAsync(version);
        });

        yield return ("binary COPY + set-based insert, foreign keys checked per row", ()
            => FactLoaderAsync(keysOnce: false));
        yield return ("binary COPY + set-based insert, foreign keys checked once per key (FactLoader)", ()
            => FactLoaderAsync(keysOnce: true));

        yield return ("binary COPY straight into ozg_facts", DirectCopyAsync);
    }

    async Task<string?> FactLoaderAsync(bool keysOnce)
    {
        var version = await NewVersionAsync();
        var parsed = new ParsedReturn();
        parsed.Ozg.AddRange(lines);
        await using var conn = await db!.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await FactLoader.LoadAsync(conn, version, parsed, CancellationToken.None, keysOnce);
        await tx.CommitAsync();
        return await CountAsync(version);
    }

    /// <summary>The candidate: COPY straight into ozg_facts (the version id as a column), no staging table.</summary>
    async Task<string?> DirectCopyAsync()
    {
        var version = await NewVersionAsync();
        await using var conn = await db!.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (
            var w = await conn.BeginBinaryImportAsync(
                "copy ozg_facts (return_version_id, ags, ozg_id, maturity, efa, online_since, sheet, row_number) from "
                    + "stdin (format binary)"))
        {
            foreach (var o in lines)
            {
                await w.StartRowAsync();
                await w.WriteAsync(version, NpgsqlTypes.NpgsqlDbType.Bigint);
                await w.WriteAsync(o.Ags, NpgsqlTypes.NpgsqlDbType.Text);
                await w.WriteAsync(o.OzgId, NpgsqlTypes.NpgsqlDbType.Integer);
                await w.WriteAsync(o.Maturity, NpgsqlTypes.NpgsqlDbType.Smallint);
                await w.WriteAsync(o.Efa, NpgsqlTypes.NpgsqlDbType.Boolean);
                if (o.OnlineSince is { } d) await w.WriteAsync(d,
                    NpgsqlTypes.NpgsqlDbType.Date); else await w.WriteNullAsync();
                await w.WriteAsync(o.Sheet, NpgsqlTypes.NpgsqlDbType.Text);
                await w.WriteAsync(o.Row, NpgsqlTypes.NpgsqlDbType.Integer);
            }
            await w.CompleteAsync();
        }
        await tx.CommitAsync();
        return await CountAsync(version);
    }

    public override async Task TearDownAsync(BenchmarkContext context)
    {
        if (db is not null) await db.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(serverConnection);
        await conn.OpenAsync();
        await new NpgsqlCommand($"drop database if exists {database} with (force)", conn).ExecuteNonQueryAsync();
    }

    async Task<long> NewVersionAsync()
    {
        await using var cmd = db!.CreateCommand("""
            with u as (insert into uploads (sha256, file_name, size_bytes, content, provider_code, uploaded_by)
                       values (gen_random_uuid()::text::bytea, 'bench.xlsx', 0, '', 'BENCH', 'bench') returning id)
            insert into return_versions (upload_id, provider_code, period, submitted_by)
              select id, 'BENCH', '2025', 'bench' from u returning id
            """);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    async Task<string> CountAsync(long version)
    {
        await using var cmd = db!.CreateCommand($"select count(*) from ozg_facts where return_version_id = {version}");
        return $"{(long)(await cmd.ExecuteScalarAsync())!:N0} rows stored";
    }

    async Task Exec(string sql)
    {
        await using var cmd = db!.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
