using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Reporting.Benchmarks.Ingestion;
using Reporting.Database;
using Reporting.Kpis;

namespace Reporting.Benchmarks;

/// <summary>
/// KPI snapshot of one period at NRW scale: 396 municipalities in 53 districts, 30 providers, the 30 services,
/// 557 OZG services, 8 periods of facts generated with generate_series straight into the tables. Variants: a full
/// recompute (the snapshot deleted first, so nothing is reused), the idempotent reuse of the same input, loading a
/// district's scoped view, and explaining a district value.
/// </summary>
public class KpisScenario : Scenario
{
    public override string Name => "kpis";
    public override string Description
        => "KPI snapshot at NRW scale (396 municipalities, 30 providers, 557 OZG services, 8 periods)";
    protected virtual int Scale => 1;

    BenchDatabase? bench;
    KpiEngine? engine;
    SnapshotReader? reader;
    KpiLineage? lineage;
    const string Period = "2025";

    public override async Task<string> SetUpAsync(BenchmarkContext context)
    {
        bench = await BenchDatabase.CreateEmptyAsync("kpis");
        var db = bench.Db;
        await using (var cmd = db.CreateCommand(GenerateSql(Scale))) await cmd.ExecuteNonQueryAsync();

        var options = Options.Create(new KpisOptions());
        var catalogue = KpiCatalogue.LoadEmbedded();
        engine = new KpiEngine(db, catalogue, options, NullLogger<KpiEngine>.Instance);
        reader = new SnapshotReader(db, options);
        lineage = new KpiLineage(db, catalogue);
        await engine.ComputeSnapshotAsync("2024");   // the previous period, for trends

        await using var count = db.CreateCommand("""
            select (select count(*) from municipalities), (select count(*) from providers),
                   (select count(*) from cost_facts) + (select count(*) from supply_facts) + (select count(*)
                     from ozg_facts),
                   (select count(*) from ozg_facts o join current_versions v on v.id = o.return_version_id
                     where v.period = '2025')
            """);
        await using var r = await count.ExecuteReaderAsync();
        await r.ReadAsync();
        return string.Create(CultureInfo.InvariantCulture,
            $"{r.GetInt64(0)} municipalities, {r.GetInt64(1)} providers, {r.GetInt64(2):N0} facts in 8 periods")
            + string.Create(CultureInfo.InvariantCulture, $" ({r.GetInt64(3):N0} OZG facts in {Period})");
    }

    public override IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context)
    {
        yield return ("full recompute of a period", async () =>
        {
            await using (var del = bench!.Db.CreateCommand(
                $"delete from kpi_snapshots where period = '{Period}'")) await del.ExecuteNonQueryAsync();
            var result = await engine!.ComputeAsync(Period);
            return $"{result.Values:N0} values";
        });
        yield return ("same input: snapshot reused", async () =>
        {
            var result = await engine!.ComputeAsync(Period);
            return result.Reused ? "reused" : "NOT reused";
        });
        yield return ("load a district's scoped snapshot", async () =>
        {
            var s = await reader!.LoadAsync((await reader.LatestAsync(Period))!.Value, KpiScope.District("05001"));
            return $"{s!.Values.Count:N0} values";
        });
        yield return ("explain total_cost of a district", async () =>
        {
            var e = await lineage!.ExplainAsync((await reader!.LatestAsync(Period))!.Value, "total_cost", "district",
                "05001");
            return $"{e!.TotalFacts:N0} facts";
        });
    }

    public override async Task TearDownAsync(BenchmarkContext context)
    {
        if (bench is not null) await bench.DisposeAsync();
    }

    /// <summary>
    /// Reference and facts for <paramref name="k"/> times NRW: k*53 districts, k*396 municipalities, k*30 providers.
    /// </summary>
    static string GenerateSql(int k) => $"""
        insert into regions select '05' || g, 'Regierungsbezirk ' || g from generate_series(1, 5) g;
        insert into districts select '05' || lpad(g::text, 3, '0'), 'Kreis ' || g, 'Kreis', '05' || (1 + g % 5)
          from generate_series(1, {53 * k}) g;
        insert into municipalities (ags, ars, name, kind, district_key, population, population_as_of)
          select d || lpad((1 + (g - 1) / {53 * k})::text, 3, '0'), d || '0000' || lpad((1 + (g - 1) / {53 * k})::text,
            3, '0'),
                 'Gemeinde ' || g, 'Gemeinde', d, 2000 + (g * 7919) % 150000, '2019-12-31'
          from generate_series(1, {396 * k}) g, lateral (select '05' || lpad((1 + (g - 1) % {53 * k})::text, 3, '0') as
            d) x;
        insert into ozg_services (ozg_id, name, life_situation, topic, municipal)
          select 10000 + g, 'OZG-Leistung ' || g, 'Lage ' || (g % 55), 'Themenfeld ' || (g % 14), g % 10 <> 0
            from generate_series(1, 557) g;
        insert into providers (code, name) select 'P' || lpad(g::text, 3, '0'), 'Dienstleister ' || g
          from generate_series(1, {30 * k}) g;
        insert into periods select y::text, make_date(y, 1, 1), make_date(y, 12, 31), make_date(y + 1, 3, 31)
          from generate_series(2018, 2025) y;
        insert into returns (provider_code, period) select p.code, pe.period from providers p cross join periods pe;
        insert into uploads (sha256, file_name, size_bytes, content, provider_code, uploaded_by)
          select sha256(convert_to('bench:' || r.id, 'UTF8')), 'meldung.xlsx', 1, '\x00'::bytea, r.provider_code,
            'bench' from returns r;
        insert into return_versions (return_id, provider_code, period, upload_id, version, status, staff_fte,
          submitted_by, decided_at)
          select r.id, r.provider_code, r.period, u.id, 1, 'accepted', 20 + r.id % 80, 'bench', now()
          from returns r join uploads u on u.sha256 = sha256(convert_to('bench:' || r.id, 'UTF8'));
        insert into provider_districts (provider_code, district_key)
          select 'P' || lpad((1 + (no - 1) % {30 * k})::text, 3, '0'), key
            from (select key, row_number() over (order by key) as no from districts) d;
        create temporary table muni_provider as
          select m.ags, pd.provider_code from municipalities m
            join provider_districts pd on pd.district_key = m.district_key;
        insert into supply_facts
          select rv.id, mp.ags, s.code, 20 + abs(hashtext(mp.ags || s.code || rv.period)) % 2000,
                 25 + abs(hashtext(s.code || mp.ags || rv.period)) % 2000,
                   (abs(hashtext(rv.period || mp.ags || s.code)) % 900000)::numeric / 100,
                 'Versorgung', 10 + abs(hashtext(mp.ags || s.code)) % 10000
          from return_versions rv join muni_provider mp on mp.provider_code = rv.provider_code cross join services s;
        insert into cost_facts
          select rv.id, s.code, ct.code, (1000 + abs(hashtext(rv.id || s.code || ct.code)) % 50000000)::numeric / 100,
            'Kosten', 'C' || (5 + ct.sort)
          from return_versions rv cross join services s cross join cost_types ct;
        insert into ozg_facts (return_version_id, ags, ozg_id, maturity, efa, sheet, row_number)
          select rv.id, mp.ags, o.ozg_id, abs(hashtext(mp.ags || o.ozg_id || rv.period)) % 5, false, 'OZG', o.ozg_id -
            9990
          from return_versions rv join muni_provider mp on mp.provider_code = rv.provider_code cross
            join ozg_services o;
        analyze;
        """;
}

/// <summary>The same at ten times NRW (3,960 municipalities, 300 providers): how the computation grows.</summary>
public sealed class KpisTenfoldScenario : KpisScenario
{
    public override string Name => "kpis-10x";
    public override string Description
        => "KPI snapshot at 10x NRW (3,960 municipalities, 300 providers, 557 OZG services, 8 periods)";
    public override bool Large => true;
    public override int Repeats => 1;
    protected override int Scale => 10;
}
