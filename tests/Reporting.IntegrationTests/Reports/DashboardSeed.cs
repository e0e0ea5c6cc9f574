using Microsoft.Extensions.Logging.Abstractions;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;

namespace Reporting.IntegrationTests.Reports;

/// <summary>
/// A small KPI snapshot for the demo region, inserted with SQL the way the KPI engine writes it: three providers,
/// returns for 2024 and 2025, OZG facts, and a 2025 snapshot with values on every dimension the dashboard shows.
/// </summary>
public static class DashboardSeed
{
    public const string EvilProviderName = "=HYPERLINK(\"http://example.invalid\",\"ITV\")";
    public const decimal NrwTotalCost = 12_345_678.9m;
    public const decimal KdzCostPerWorkstation = 3_480.4m;

    public static async Task<long> InsertAsync(TestDatabase db)
    {
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, new DateOnly(2019, 12, 31));
        await using var cmd = db.DataSource.CreateCommand(Sql);
        cmd.Parameters.AddWithValue("evil", EvilProviderName);
        cmd.Parameters.AddWithValue("nrw_total", NrwTotalCost);
        cmd.Parameters.AddWithValue("kdz_cpw", KdzCostPerWorkstation);
        await cmd.ExecuteNonQueryAsync();
        return await db.ScalarAsync<long>("select max(id) from kpi_snapshots where period = '2025'");
    }

    const string Sql = """
        insert into providers (code, name) values ('KDZ', 'KDZ Auenland'), ('ITV', @evil), ('WIT', 'Wiesental-IT');
        insert into provider_districts (provider_code, district_key)
          values ('KDZ', '05811'), ('KDZ', '05870'), ('ITV', '05812'), ('WIT', '05874');
        insert into periods (period, starts_on, ends_on, deadline) values
          ('2024', '2024-01-01', '2024-12-31', '2025-03-31'), ('2025', '2025-01-01', '2025-12-31', '2026-03-31');
        insert into uploads (sha256, file_name, size_bytes, content, provider_code, uploaded_by)
          select sha256(convert_to(c || p, 'UTF8')), c || '.xlsx', 1, '\x00', c, 'demo'
            from unnest(array['KDZ','ITV','WIT']) c, unnest(array['2024','2025']) p;
        insert into returns (provider_code, period) select c, p
          from unnest(array['KDZ','ITV','WIT']) c, unnest(array['2024','2025']) p;
        insert into return_versions (return_id, provider_code, period, upload_id, version, status, submitted_by,
          submitted_at, decided_at)
          select r.id, r.provider_code, r.period, u.id, 1, 'accepted', 'api:' || r.provider_code, '2026-02-10 09:30+00',
            '2026-02-10 09:31+00'
          from returns r join uploads u on u.file_name = r.provider_code || '.xlsx'
            and u.sha256 = sha256(convert_to(r.provider_code || r.period, 'UTF8'));
        -- OZG facts 2025: maturity cycles 0..4 over municipality x service.
        insert into ozg_facts (return_version_id, ags, ozg_id, maturity, efa, sheet, row_number)
          select rv.id, m.ags, o.ozg_id, (abs(hashtext(m.ags || o.ozg_id)) % 5), false, 'OZG', 1
          from municipalities m join provider_districts pd on pd.district_key = m.district_key
          join return_versions rv on rv.provider_code = pd.provider_code and rv.period = '2025'
          cross join ozg_services o;

        insert into kpi_snapshots (period, created_at, return_version_ids, returns_expected, returns_received,
          completeness, catalogue_hash, input_hash)
          select '2024', '2025-04-01 08:00+00', array_agg(id), 3, 3, 1, 'c', 'i2024' from return_versions
            where period = '2024';
        insert into kpi_values (snapshot_id, kpi_id, dimension, slice_key, slice_label, value, completeness,
          provisional)
          select max(id), 'total_cost', 'nrw', 'NRW', 'Nordrhein-Westfalen', 11000000, 1, false from kpi_snapshots;
        insert into kpi_values (snapshot_id, kpi_id, dimension, slice_key, slice_label, district_key, value,
          completeness, provisional)
          select max(id), 'total_cost', 'district', '05870', 'Kreis Lindenau', '05870', 4100000, 1, false
            from kpi_snapshots;

        insert into kpi_snapshots (period, created_at, return_version_ids, returns_expected, returns_received,
          completeness, catalogue_hash, input_hash)
          select '2025', '2026-02-11 07:00+00', array_agg(id), 4, 3, 0.75, 'c', 'i2025' from return_versions
            where period = '2025';

        create temp table v (kpi_id text, dimension text, slice_key text, slice_label text, district_key text,
          provider_code text,
                             value numeric, numerator numeric, denominator numeric, previous_value numeric,
                               provisional boolean default true);
        insert into v (kpi_id, dimension, slice_key, slice_label, value, previous_value) values
          ('total_cost', 'nrw', 'NRW', 'Nordrhein-Westfalen', @nrw_total, 11000000),
          ('cost_per_workstation', 'nrw', 'NRW', 'Nordrhein-Westfalen', 3250, 3100),
          ('cost_per_inhabitant', 'nrw', 'NRW', 'Nordrhein-Westfalen', 17.8, 16.9),
          ('ozg_online_rate', 'nrw', 'NRW', 'Nordrhein-Westfalen', 0.55, 0.5),
          ('ozg_compliant_rate', 'nrw', 'NRW', 'Nordrhein-Westfalen', 0.3, 0.25),
          ('consolidation_potential', 'nrw', 'NRW', 'Nordrhein-Westfalen', 450000, null),
          ('returns_completeness', 'nrw', 'NRW', 'Nordrhein-Westfalen', 0.75, 1),
          ('scale_slope', 'nrw', 'NRW', 'Nordrhein-Westfalen', -0.42, null),
          ('total_cost', 'region', '058', 'Demoland', @nrw_total, null);
        insert into v (kpi_id, dimension, slice_key, slice_label, district_key, value, previous_value)
          select k, 'district', d.key, case when d.kind = 'Kreis' then 'Kreis ' || d.name else d.name end, d.key,
                 case k when 'total_cost' then 4000000 + n * 250000 when 'ozg_online_rate' then 0.3 + n * 0.1
                        else 3000 + n * 100 end,
                 case k when 'total_cost' then 4100000 end
          from (select *, row_number() over (order by key) as n
            from districts) d, unnest(array['total_cost', 'ozg_online_rate', 'cost_per_workstation']) k;
        -- Municipality rows carry their district, as the engine writes them (scoping reads district_key).
        insert into v (kpi_id, dimension, slice_key, slice_label, district_key, value, previous_value)
          select k, 'municipality', m.ags, m.name, m.district_key,
                 case k when 'ozg_online_rate' then round((n % 10) / 10.0, 2)
                        when 'ozg_compliant_rate' then round((n % 5) / 10.0, 2)
                        when 'providers_per_municipality' then 1 + n % 2 else 900 + n * 10 end, null
          from (select *, row_number() over (order by ags) as n from municipalities) m,
               unnest(array['ozg_online_rate', 'ozg_compliant_rate', 'providers_per_municipality',
                 'charges_per_workstation']) k;
        insert into v (kpi_id, dimension, slice_key, slice_label, provider_code, value, previous_value) values
          ('cost_per_workstation', 'provider', 'KDZ', 'KDZ Auenland', 'KDZ', @kdz_cpw, 3300),
          ('cost_per_workstation', 'provider', 'ITV', @evil, 'ITV', 2890, 2950),
          ('cost_per_workstation', 'provider', 'WIT', 'Wiesental-IT', 'WIT', 3900, null),
          ('total_cost', 'provider', 'KDZ', 'KDZ Auenland', 'KDZ', 6000000, null),
          ('total_cost', 'provider', 'ITV', @evil, 'ITV', 2345678.9, null),
          ('total_cost', 'provider', 'WIT', 'Wiesental-IT', 'WIT', 4000000, null),
          ('workstations_per_fte', 'provider', 'KDZ', 'KDZ Auenland', 'KDZ', 61.5, null),
          ('consolidation_potential', 'provider', 'WIT', 'Wiesental-IT', 'WIT', 300000, null);
        insert into v (kpi_id, dimension, slice_key, slice_label, value)
          select 'cost_share_by_cost_type', 'cost_type', code, name, (6 - sort) / 15.0 from cost_types;
        insert into v (kpi_id, dimension, slice_key, slice_label, provider_code, value)
          select 'cost_share_by_cost_type', 'provider_cost_type', p.code || '|' || c.code, p.code || ' ' || c.name,
            p.code,
                 case c.sort when 1 then 0.3 + p.n * 0.05 when 2 then 0.2 when 3 then 0.25 - p.n * 0.05 when 4 then 0.15
                        else 0.1 end
          from (select code, row_number() over (order by code) as n from providers) p, cost_types c;
        insert into v (kpi_id, dimension, slice_key, slice_label, value)
          select k, 'service', s.code, s.name,
                 case k when 'consolidation_potential' then 100000 - n * 4000
                        when 'cost_share_by_service' then 0.02 + (n % 4) / 100.0
                        when 'unit_cost_median' then 100 + n * 10 when 'unit_cost_min' then 50 + n * 5
                        when 'unit_cost_max' then 300 + n * 20
                        when 'providers_per_service' then 1 + n % 3 else 0.5 + (n % 5) / 10.0 end
          from (select *, row_number() over (order by code) as n from services) s,
               unnest(array['consolidation_potential', 'cost_share_by_service', 'unit_cost_median', 'unit_cost_min',
                 'unit_cost_max',
                             'providers_per_service', 'service_coverage_municipalities']) k
          where s.code in ('ARB', 'FIN', 'EWO', 'KFZ', 'SOZ', 'DMS', 'POR', 'NET');
        insert into v (kpi_id, dimension, slice_key, slice_label, provider_code, value, numerator, denominator)
          select 'unit_cost', 'provider_service', p.code || '|' || s.code, p.code || ' ' || s.name, p.code,
                 round((4000.0 / ln(200 + p.n * s.n * 150))::numeric, 2), null, 200 + p.n * s.n * 150
          from (select code, row_number() over (order by code) as n from providers) p,
               (select code, name, row_number() over (order by code) as n from services
                 where code in ('ARB', 'FIN', 'EWO', 'KFZ')) s;

        -- ozg_topic_online_rate as the engine's pair_rate shape computes it from the OZG facts above.
        insert into v (kpi_id, dimension, slice_key, slice_label, district_key, value, numerator, denominator)
          select 'ozg_topic_online_rate', 'district_ozg_topic', b.district_key || '|' || b.topic,
                 case when d.kind = 'Kreis' then 'Kreis ' || d.name else d.name end, b.district_key,
                 avg((b.best >= 2)::int), sum((b.best >= 2)::int), count(*)
          from (select m.district_key, o.topic, max(f.maturity) as best from ozg_facts f
                join municipalities m on m.ags = f.ags join ozg_services o on o.ozg_id = f.ozg_id
                group by m.district_key, o.topic, f.ags, f.ozg_id) b join districts d on d.key = b.district_key
          group by b.district_key, b.topic, d.kind, d.name;
        insert into v (kpi_id, dimension, slice_key, slice_label, value, numerator, denominator)
          select 'ozg_topic_online_rate', 'ozg_topic', b.topic, b.topic, avg((b.best >= 2)::int), sum((b.best >=
            2)::int),
                 count(*)
          from (select o.topic, max(f.maturity) as best from ozg_facts f join ozg_services o on o.ozg_id = f.ozg_id
                group by o.topic, f.ags, f.ozg_id) b
          group by b.topic;

        insert into kpi_values (snapshot_id, kpi_id, dimension, slice_key, slice_label, district_key, provider_code,
          value, numerator, denominator,
                                previous_value, completeness, provisional)
          select (select max(id) from kpi_snapshots
            where period = '2025'), kpi_id, dimension, slice_key, slice_label, district_key, provider_code,
                 value, numerator, denominator, previous_value, 0.75, provisional from v;
        """;
}
