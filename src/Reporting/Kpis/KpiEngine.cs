using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Reporting.Kpis;

/// <summary>
/// Computes a period's KPI snapshot in PostgreSQL, set-based: the facts of the accepted, current return versions
/// (kpi_input) go into a temporary table, each catalogue KPI and dimension is one INSERT ... SELECT of its shape,
/// and the result is stored as kpi_snapshots + kpi_values. The same input (version ids, catalogue, parameters,
/// reference data, previous snapshot) gives back the existing snapshot instead of a duplicate.
/// </summary>
public sealed class KpiEngine(NpgsqlDataSource db, KpiCatalogue catalogue, IOptions<KpisOptions> options,
    ILogger<KpiEngine> logger)
{
    public KpiCatalogue Catalogue => catalogue;

    public sealed record Result(long SnapshotId, bool Reused, int Values, int ReturnVersions);

    /// <summary>Computes the period's snapshot, or returns the one already computed from the same input.</summary>
    public async Task<long> ComputeSnapshotAsync(string period, CancellationToken ct = default)
        => (await ComputeAsync(period, ct)).SnapshotId;

    public async Task<Result> ComputeAsync(string period, CancellationToken ct = default)
    {
        var o = options.Value;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // One computation per period at a time: a second job for the same input then finds the first's snapshot.
        await Exec(conn, tx, "select pg_advisory_xact_lock(hashtext('kpis:' || $1))", ct, period);

        if ((long)(await Scalar(conn, tx, "select count(*) from periods where period = $1", ct, period))! == 0)
            throw new InvalidOperationException($"period '{period}' does not exist (table periods)");

        var (versions, providers, expected) = await InputAsync(conn, tx, period, ct);
        var received = versions.Count;
        var completeness = expected == 0 ? 0m : Math.Min(1m, Math.Round((decimal)received / expected, 4));

        var previousSnapshot = await Scalar(conn, tx, """
            select s.id from kpi_snapshots s
            where s.period = (select max(p.period) from periods p
                              where p.period < $1 and length(p.period) = length($1)
                                and substr(p.period, 6, 1) = substr($1, 6, 1))
            order by s.created_at desc, s.id desc limit 1
            """, ct, period) as long?;
        var referenceFingerprint = (string)(await Scalar(conn, tx, """
            select md5(coalesce((select string_agg(ags || ':' || population || ':' || district_key, ',' order by ags)
              from municipalities), '')
                    || '|' || coalesce((select string_agg(ozg_id || ':' || topic, ',' order by ozg_id) from ozg_services
                      where municipal), ''))
            """, ct))!;

        var parameters = new Dictionary<string, object?>
        {
            ["provisional_below"] = o.ProvisionalBelow,
            ["benchmark_quantile"] = o.BenchmarkQuantile,
        };
        var parametersJson = JsonSerializer.Serialize(parameters);
        var inputHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n",
            period, string.Join(',', versions), catalogue.Hash, parametersJson,
                previousSnapshot?.ToString(CultureInfo.InvariantCulture) ?? "-",
            referenceFingerprint, expected.ToString(CultureInfo.InvariantCulture))))).ToLowerInvariant();

        if (await Scalar(conn, tx, "select id from kpi_snapshots where input_hash = $1", ct,
            inputHash) is long existing)
        {
            // Readers only gain publications here (never lose or change one): under today's rule, e.g. a lowered
            // minimum, the same snapshot may now be due to readers that had none.
            if (await Scalar(conn, tx, "select contributions::text from kpi_snapshots where id = $1", ct, existing)
                is string stored)
                await ProviderAnonymity.PublishAsync(conn, tx, period, existing, previousSnapshot,
                    JsonSerializer.Deserialize<Dictionary<string, string>>(stored)!, o.AnonymityMinProviders, ct);
            await tx.CommitAsync(ct);
            logger.LogInformation("KPI snapshot {Id} of {Period} reused: same input", existing, period);
            return new Result(existing, true, 0, versions.Count);
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        await CreateInputAsync(conn, tx, versions, expected, received, ct);
        await RunAsync(conn, tx, catalogue.Kpis, ct);

        var snapshotId = (long)(await Scalar(conn, tx, """
            insert into kpi_snapshots (period, return_version_ids, returns_expected, returns_received, completeness,
              catalogue_hash, input_hash, previous_snapshot_id, parameters)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) returning id
            """, ct, period, versions.ToArray(), expected, received, completeness, catalogue.Hash, inputHash,
            previousSnapshot, parametersJson))!;

        var values = await Exec(conn, tx, $"""
            insert into kpi_values (snapshot_id, kpi_id, dimension, slice_key, slice_label, district_key, provider_code,
                                    value, numerator, denominator, previous_value, completeness, provisional)
            select $1, l.kpi_id, l.dimension, l.slice_key, l.slice_label, l.district_key, l.provider_code, l.value,
                   l.numerator, l.denominator, null,
                   -- A provider's own figures come from its own accepted return: complete.
                   case when l.dimension in ('provider', 'provider_service', 'provider_cost_type') then 1 else $2 end,
                   false
            from ({Labelled}) l
            """, ct, snapshotId, completeness);

        // A district's (and its municipalities') figures are as complete as the returns of the providers registered
        // for it (provider_districts); where none are registered, the period's completeness stands.
        await Exec(conn, tx, """
            update kpi_values v set completeness = x.c
            from (select pd.district_key, round(avg(case when pd.provider_code = any($2) then 1 else 0 end), 4) as c
                  from provider_districts pd group by pd.district_key) x
            where v.snapshot_id = $1 and v.provider_code is null and v.district_key = x.district_key
            """, ct, snapshotId, providers.ToArray());
        await Exec(conn, tx, "update kpi_values set provisional = completeness < $2 where snapshot_id = $1", ct,
            snapshotId, o.ProvisionalBelow);
        if (previousSnapshot is { } prev)
            await Exec(conn, tx, """
                update kpi_values v set previous_value = p.value
                from kpi_values p
                where v.snapshot_id = $1 and p.snapshot_id = $2
                  and p.kpi_id = v.kpi_id and p.dimension = v.dimension and p.slice_key = v.slice_key
                """, ct, snapshotId, prev);

        // What each provider is shown of others is decided now, once, and stored with the snapshot.
        var contributions = await ProviderAnonymity.ContributionsAsync(conn, tx, ct);
        await Exec(conn, tx, "update kpi_snapshots set contributions = $2::jsonb where id = $1", ct, snapshotId,
            JsonSerializer.Serialize(contributions));
        await ProviderAnonymity.PublishAsync(conn, tx, period, snapshotId, previousSnapshot, contributions,
            o.AnonymityMinProviders, ct);

        await tx.CommitAsync(ct);
        logger.LogInformation(
            "KPI snapshot {Id} of {Period}: {Values} values from {Versions} return versions in {Ms} ms",
            snapshotId, period, values, versions.Count, started.ElapsedMilliseconds);
        return new Result(snapshotId, false, values, versions.Count);
    }

    /// <summary>The period's accepted, current return versions, their providers and the returns expected.</summary>
    public static async Task<(List<long> Versions, List<string> Providers, int Expected)> InputAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, string period, CancellationToken ct)
    {
        var versions = new List<long>();
        var providers = new List<string>();
        await using (
            var cmd = new NpgsqlCommand("select id, provider_code from current_versions where period = $1 order by id",
                conn, tx) { Parameters = { new() { Value = period } } })
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) { versions.Add(r.GetInt64(0)); providers.Add(r.GetString(1)); }

        var expected = (int)(long)(await Scalar(conn, tx, """
            select case when exists (select 1 from kpi_expected_returns where period = $1)
                        then (select count(*) from kpi_expected_returns where period = $1)
                        else (select count(*) from providers) end
            """, ct, period))!;
        return (versions, providers, expected);
    }

    /// <summary>
    /// The run's temporary tables on the caller's transaction: f, the measure rows of these return versions
    /// (kpi_input; <paramref name="withOzg"/> false leaves out the OZG maturities), kpi_run (returns expected and
    /// received) and the empty result table r.
    /// </summary>
    public static async Task CreateInputAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        IReadOnlyList<long> versions, int expected, int received, CancellationToken ct, bool withOzg = true)
    {
        await Exec(conn, tx, "create temporary table f on commit drop as select * from kpi_input($1, $2)", ct,
            versions.ToArray(), withOzg);
        await PrepareRunAsync(conn, tx, expected, received, ct);
    }

    /// <summary>
    /// The rest of <see cref="CreateInputAsync"/> for an f the caller filled itself: f's index and statistics,
    /// kpi_run and r.
    /// </summary>
    public static async Task PrepareRunAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int expected,
        int received, CancellationToken ct)
    {
        // Every shape reads f by measure, derived shapes look values up in r by KPI and slice: index both.
        await Exec(conn, tx, "create index on f (measure)", ct);
        await Exec(conn, tx, "analyze f", ct);
        await Exec(conn, tx, """
            create temporary table r (kpi_id text not null, dimension text not null, slice_key text not null,
                                      value numeric, numerator numeric, denominator numeric) on commit drop
            """, ct);
        await Exec(conn, tx, "create index on r (kpi_id, dimension, slice_key)", ct);
        await Exec(conn, tx,
            "create temporary table kpi_run on commit drop as select $1::numeric as expected, $2::numeric as received",
                ct, expected, received);
    }

    /// <summary>Fills r with these KPIs (in catalogue order: derived ones read those before them from r).</summary>
    public async Task RunAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IEnumerable<KpiDefinition> kpis,
        CancellationToken ct)
    {
        var batch = new NpgsqlBatch(conn, tx);
        foreach (var k in kpis)
        {
            // Shapes derived from other KPIs join r with itself: fresh statistics keep the planner off nested loops.
            if (KpiShapes.Derived.Contains(k.Shape)) batch.BatchCommands.Add(new NpgsqlBatchCommand("analyze r"));
            foreach (var dim in k.Dimensions)
                batch.BatchCommands.Add(
                    new NpgsqlBatchCommand(KpiShapes.Sql(k, dim, options.Value.BenchmarkQuantile)));
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The values in r, labelled and rounded as a snapshot stores them.</summary>
    public static async Task<List<KpiResult>> ReadResultsAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select * from ({Labelled}) l", conn, tx);
        return await KpiResult.ReadAllAsync(cmd, ct);
    }

    /// <summary>r's rows with their labels, district and provider, values rounded to 10 decimals.</summary>
    const string Labelled = """
        select r.kpi_id, r.dimension, r.slice_key,
               coalesce(case r.dimension
                 when 'nrw' then 'Nordrhein-Westfalen'
                 when 'region' then rg.name
                 when 'district' then d.name
                 when 'municipality' then m.name
                 when 'provider' then p.name
                 when 'service' then s.name
                 when 'cost_type' then ct.name
                 when 'ozg_service' then o.name
                 when 'ozg_topic' then r.slice_key
                 when 'provider_service' then p.name || ' – ' || s.name
                 when 'provider_cost_type' then p.name || ' – ' || ct.name
                 when 'district_ozg_topic' then
                   case when dt.kind = 'Kreis' and dt.name !~* '(kreis|städteregion)' then 'Kreis ' || dt.name
                     else dt.name end end, r.slice_key)
                 as slice_label,
               case r.dimension when 'district' then r.slice_key when 'municipality' then m.district_key
                 when 'district_ozg_topic' then split_part(r.slice_key, '|', 1) end as district_key,
               case when r.dimension in ('provider', 'provider_service', 'provider_cost_type')
                 then split_part(r.slice_key, '|', 1) end as provider_code,
               trim_scale(round(r.value, 10)) as value, trim_scale(round(r.numerator, 10)) as numerator,
               trim_scale(round(r.denominator, 10)) as denominator
        from r
        left join regions rg on r.dimension = 'region' and rg.key = r.slice_key
        left join districts d on r.dimension = 'district' and d.key = r.slice_key
        left join municipalities m on r.dimension = 'municipality' and m.ags = r.slice_key
        left join districts dt on r.dimension = 'district_ozg_topic' and dt.key = split_part(r.slice_key, '|', 1)
        left join providers p on r.dimension in ('provider', 'provider_service', 'provider_cost_type')
          and p.code = split_part(r.slice_key, '|', 1)
        left join services s on r.dimension in ('service', 'provider_service')
          and s.code = case when r.dimension = 'service' then r.slice_key else split_part(r.slice_key, '|', 2) end
        left join cost_types ct on r.dimension in ('cost_type', 'provider_cost_type')
          and ct.code = case when r.dimension = 'cost_type' then r.slice_key else split_part(r.slice_key, '|', 2)
            end
        left join ozg_services o on r.dimension = 'ozg_service' and o.ozg_id::text = r.slice_key
        """;

    static async Task<int> Exec(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct,
        params object?[] args)
    {
        await using var cmd = Command(conn, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    static async Task<object?> Scalar(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct,
        params object?[] args)
    {
        await using var cmd = Command(conn, tx, sql, args);
        var v = await cmd.ExecuteScalarAsync(ct);
        return v is DBNull ? null : v;
    }

    static NpgsqlCommand Command(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, object?[] args)
    {
        var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a ?? DBNull.Value });
        return cmd;
    }
}
