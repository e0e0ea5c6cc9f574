using Reporting.Kpis;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reporting.Database;
using Reporting.Reference;
using Reporting.Reports;

namespace Reporting.Benchmarks;

/// <summary>
/// Dashboard rendering at NRW size: the real reference (396 municipalities, 53 districts) and a synthetic KPI
/// snapshot written by SQL (30 providers, every dimension the dashboard shows, OZG facts for the heat map).
/// </summary>
public sealed class RenderScenario : Scenario
{
    public override string Name => "render";
    public override string Description => "one NRW dashboard, all 53 district dashboards, one chart PNG";

    NpgsqlDataSource? db;
    string? dbName, server;
    long snapshotId;
    string[] districts = [];
    DashboardData? nrwData;

    public override async Task<string> SetUpAsync(BenchmarkContext context)
    {
        var reference = Path.GetFullPath(Path.Combine(AppPaths.FindContentRoot(), "..", "shared", "reference"));
        if (!File.Exists(Path.Combine(reference, ReferenceImporter.MunicipalitiesFile)))
            throw new InvalidOperationException($"the render benchmark needs the real NRW reference in {reference}");
        server = await new EmbeddedPostgres(Path.Combine(AppPaths.FindContentRoot(), ".local", "postgres-bench"),
            new DatabaseOptions(), NullLogger.Instance)
            .EnsureStartedAsync("postgres");
        dbName = $"bench_render_{Guid.NewGuid():N}";
        await using (var c = new NpgsqlConnection(server))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database {dbName}", c);
            await cmd.ExecuteNonQueryAsync();
        }
        db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(server) { Database = dbName }.ConnectionString);
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        await new ReferenceImporter(db, NullLogger<ReferenceImporter>.Instance).ImportAsync(reference,
            new DateOnly(2019, 12, 31));
        await using (var cmd = db.CreateCommand(
            SyntheticSnapshot)) { cmd.CommandTimeout = 600; await cmd.ExecuteNonQueryAsync(); }
        snapshotId = (long)(await db.CreateCommand("select max(id) from kpi_snapshots").ExecuteScalarAsync())!;
        await using (var cmd = db.CreateCommand("select key from districts order by key"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            var list = new List<string>();
            while (await r.ReadAsync()) list.Add(r.GetString(0));
            districts = [.. list];
        }
        nrwData = await DashboardLoader.LoadAsync(db, KpiCatalogue.LoadEmbedded(), Snapshots(), snapshotId,
            KpiScope.Nrw);
        var values = (long)(await db.CreateCommand($"select count(*) from kpi_values where snapshot_id = {snapshotId}")
            .ExecuteScalarAsync())!;
        var facts = (long)(await db.CreateCommand("select count(*) from ozg_facts").ExecuteScalarAsync())!;
        return $"NRW: {districts.Length} districts, 396 municipalities, 30 providers, {values:N0} KPI values, "
            + $"{facts:N0} OZG facts";
    }

    public override IEnumerable<(string Variant, Func<Task<string?>> Run)> Variants(BenchmarkContext context)
    {
        var renderer = new DashboardRenderer(db!, KpiCatalogue.LoadEmbedded(), Snapshots());
        yield return ("one dashboard (scope nrw: load + 8 charts + workbook)", async () =>
        {
            var d = await renderer.RenderAsync(snapshotId, KpiScope.Nrw);
            return $"workbook {d.Workbook.Length / 1024:N0} KB, charts {d.Charts.Sum(c => c.Png.Length) / 1024:N0} KB";
        });
        yield return ($"all {districts.Length} district dashboards, one after another", async () =>
        {
            long bytes = 0;
            foreach (var k in districts)
                bytes += (await renderer.RenderAsync(snapshotId, KpiScope.District(k))).Workbook.Length;
            return $"{districts.Length} workbooks, {bytes / 1024 / 1024.0:0.0} MB";
        });
        yield return ("one chart PNG (cost per workstation, 1100x620)", () =>
        {
            var png = DashboardCharts.CostPerWorkstation(nrwData!).Png();
            return Task.FromResult<string?>($"{png.Length / 1024} KB");
        });
    }

    public override async Task TearDownAsync(BenchmarkContext context)
    {
        if (db is not null) await db.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (server is null || dbName is null) return;
        await using var c = new NpgsqlConnection(server);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists {dbName} with (force)", c);
        await cmd.ExecuteNonQueryAsync();
    }

    // 30 providers; each district is served by one or two of them; one accepted return per provider; OZG facts for
    // every municipality and every fifth OZG service; KPI values on every dimension, deterministic pseudo-random.
    const string SyntheticSnapshot = """
        insert into providers (code, name) select 'P' || lpad(i::text, 2, '0'), 'IT-Dienstleister ' || i
          from generate_series(1, 30) i;
        insert into provider_districts (provider_code, district_key)
          select 'P' || lpad((1 + n % 30)::text, 2, '0'), key from (select key, row_number() over (order by key) n
            from districts) d
          union select 'P' || lpad((1 + (n * 7) % 30)::text, 2, '0'), key
            from (select key, row_number() over (order by key) n from districts) d;
        insert into periods (period, starts_on, ends_on, deadline) values
          ('2023', '2023-01-01', '2023-12-31', '2024-03-31'), ('2024', '2024-01-01', '2024-12-31', '2025-03-31'),
            ('2025', '2025-01-01', '2025-12-31', '2026-03-31');
        insert into uploads (sha256, file_name, size_bytes, content, provider_code, uploaded_by)
          select sha256(convert_to(code, 'UTF8')), code || '.xlsx', 1, '\x00', code, 'bench' from providers;
        insert into returns (provider_code, period) select code, '2025' from providers;
        insert into return_versions (return_id, provider_code, period, upload_id, version, status, submitted_by,
          decided_at)
          select r.id, r.provider_code, '2025', u.id, 1, 'accepted', 'api:' || r.provider_code, now()
          from returns r join uploads u on u.provider_code = r.provider_code;
        insert into ozg_facts (return_version_id, ags, ozg_id, maturity, efa, sheet, row_number)
          select distinct on (m.ags, o.ozg_id) rv.id, m.ags, o.ozg_id, abs(hashtext(m.ags || o.ozg_id)) % 5, false,
            'OZG', 1
          from municipalities m join provider_districts pd on pd.district_key = m.district_key
          join return_versions rv on rv.provider_code = pd.provider_code
          join ozg_services o on o.municipal and o.ozg_id % 5 = 0;

        insert into kpi_snapshots (period, created_at, return_version_ids, returns_expected, returns_received,
          completeness, catalogue_hash, input_hash)
          select p, (p || '-12-31')::timestamptz + interval '60 days', (select array_agg(id)
            from return_versions), 30, case p when '2025' then 27 else 30 end,
                 case p when '2025' then 0.9 else 1 end, 'c', 'i' || p
          from unnest(array['2023', '2024', '2025']) p;
        create temp table s as select id, period from kpi_snapshots;
        insert into kpi_values (snapshot_id, kpi_id, dimension, slice_key, slice_label, district_key, provider_code,
          value, numerator, denominator, previous_value, completeness, provisional)
        select s.id, v.kpi_id, v.dimension, v.slice_key, v.slice_label, v.district_key, v.provider_code,
               v.value * (0.9 + 0.05 * (s.period::int - 2023)), v.numerator, v.denominator, v.value * 0.95, 0.9,
                 s.period = '2025'
        from s, (
          select k as kpi_id, 'nrw' as dimension, 'NRW' as slice_key, 'Nordrhein-Westfalen' as slice_label, null::text
            as district_key, null::text as provider_code,
                 case k when 'total_cost' then 950000000 when 'cost_per_workstation' then 3240
                        when 'cost_per_inhabitant' then 53 when 'ozg_online_rate' then 0.52
                        when 'ozg_compliant_rate' then 0.31 when 'consolidation_potential' then 41000000
                        when 'returns_completeness' then 0.9 else -0.4 end::numeric as value,
                 null::numeric as numerator, null::numeric as denominator
          from unnest(array['total_cost', 'cost_per_workstation', 'cost_per_inhabitant', 'ozg_online_rate',
            'ozg_compliant_rate', 'consolidation_potential', 'returns_completeness', 'scale_slope']) k
          union all
          select 'total_cost', 'region', key, name, null, null, 100000000 + abs(hashtext(key)) % 90000000, null, null
            from regions
          union all
          select k, 'district', key, name, key, null,
                 case k when 'total_cost' then 5000000 + abs(hashtext(key)) % 30000000
                        when 'ozg_online_rate' then (abs(hashtext(key)) % 80) / 100.0 + 0.1
                        else 2500 + abs(hashtext(key)) % 1500 end, null, null
          from districts, unnest(array['total_cost', 'ozg_online_rate', 'cost_per_workstation', 'ozg_compliant_rate',
            'charges_per_workstation']) k
          union all
          select k, 'municipality', ags, name, district_key, null,
                 case k when 'ozg_online_rate' then (abs(hashtext(ags)) % 100) / 100.0
                        when 'ozg_compliant_rate' then (abs(hashtext(ags)) % 60) / 100.0
                        when 'providers_per_municipality' then 1 + abs(hashtext(ags)) % 3
                        else 800 + abs(hashtext(ags)) % 700 end, null, null
          from municipalities, unnest(array['ozg_online_rate', 'ozg_compliant_rate', 'providers_per_municipality',
            'charges_per_workstation']) k
          union all
          select k, 'provider', code, name, null, code,
                 case k when 'total_cost' then 5000000 + abs(hashtext(code)) % 60000000
                        when 'cost_per_workstation' then 2400 + abs(hashtext(code)) % 1800
                        when 'cost_per_user' then 2900 + abs(hashtext(code)) % 1800
                        when 'cost_per_inhabitant' then 30 + abs(hashtext(code)) % 40
                        when 'workstations_per_fte' then 40 + abs(hashtext(code)) % 50
                        else abs(hashtext(code)) % 3000000 end, null, null
          from providers, unnest(array['total_cost', 'cost_per_workstation', 'cost_per_user', 'cost_per_inhabitant',
            'workstations_per_fte', 'consolidation_potential']) k
          union all
          select 'cost_share_by_cost_type', 'cost_type', code, name, null, null, (6 - sort) / 15.0, null, null
            from cost_types
          union all
          select 'cost_share_by_cost_type', 'provider_cost_type', p.code || '|' || c.code, p.name || ' ' || c.name,
            null, p.code,
                 case c.sort when 1 then 0.3 + (abs(hashtext(p.code)) % 10) / 100.0 when 2 then 0.2
                        when 3 then 0.25 - (abs(hashtext(p.code)) % 10) / 100.0 when 4 then 0.15 else 0.1 end,
                 null, null
          from providers p, cost_types c
          union all
          select k, 'service', code, name, null, null,
                 case k when 'consolidation_potential' then abs(hashtext(code)) % 4000000
                        when 'cost_share_by_service' then (abs(hashtext(code)) % 8) / 100.0
                        when 'unit_cost_median' then 100 + abs(hashtext(code)) % 200
                        when 'unit_cost_min' then 40 + abs(hashtext(code)) % 50
                        when 'unit_cost_max' then 400 + abs(hashtext(code)) % 300
                        when 'providers_per_service' then 3 + abs(hashtext(code)) % 20
                        when 'hhi_workstations' then 800 + abs(hashtext(code)) % 5000
                        else (abs(hashtext(code)) % 100) / 100.0 end, null, null
          from services, unnest(array['consolidation_potential', 'cost_share_by_service', 'unit_cost_median',
            'unit_cost_min', 'unit_cost_max', 'providers_per_service',
                                      'hhi_workstations', 'service_coverage_municipalities',
                                        'service_coverage_inhabitants']) k
          union all
          select 'unit_cost', 'provider_service', p.code || '|' || s.code, p.name || ' ' || s.name, null, p.code,
                 round((5000 / ln(300 + abs(hashtext(p.code || s.code)) % 20000))::numeric, 2), null,
                   300 + abs(hashtext(p.code || s.code)) % 20000
          from providers p, services s
        ) v;
        """;

    SnapshotReader Snapshots() => new(db!, Microsoft.Extensions.Options.Options.Create(new KpisOptions()));
}
