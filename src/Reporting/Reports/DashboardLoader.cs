using Reporting.Kpis;
using Npgsql;

namespace Reporting.Reports;

/// <summary>
/// One KPI snapshot as a dashboard needs it: the values a scope may see come from <see cref="SnapshotReader"/> (the
/// one place where scope rules live, shared with the API and the CLI); around them what only the dashboard shows
/// (municipalities of the scope, the returns that went in, earlier periods, OZG facts for the heat map).
/// </summary>
public static class DashboardLoader
{
    /// <summary>The latest snapshot of a period, or null when the KPI engine has not run for it.</summary>
    public static async Task<long?> LatestSnapshotAsync(NpgsqlDataSource db, string period, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("select id from kpi_snapshots where period = $1 order by created_at desc, id desc limit 1");
        cmd.Parameters.AddWithValue(period);
        return await cmd.ExecuteScalarAsync(ct) is long id ? id : null;
    }

    public static async Task<DashboardData> LoadAsync(NpgsqlDataSource db, KpiCatalogue catalogue, SnapshotReader snapshots, long snapshotId, KpiScope scope, CancellationToken ct = default)
    {
        string period; DateTimeOffset created; decimal completeness; int expected, received; long[] versionIds;
        await using (var cmd = db.CreateCommand("select period, created_at, completeness, returns_expected, returns_received, return_version_ids from kpi_snapshots where id = $1"))
        {
            cmd.Parameters.AddWithValue(snapshotId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) throw new InvalidOperationException($"no KPI snapshot with id {snapshotId}");
            period = r.GetString(0); created = r.GetFieldValue<DateTimeOffset>(1); completeness = r.GetDecimal(2);
            expected = r.GetInt32(3); received = r.GetInt32(4); versionIds = r.GetFieldValue<long[]>(5);
        }

        // The dashboard's own value type: its Change is relative (the engine's is the absolute difference).
        var values = (await snapshots.LoadAsync(snapshotId, scope, ct))!.Values
            .Select(v => new KpiValue(v.KpiId, v.Dimension, v.SliceKey, v.SliceLabel, v.DistrictKey, v.ProviderCode,
                v.Value, v.Numerator, v.Denominator, v.PreviousValue, v.Completeness, v.Provisional))
            .ToList();

        return new DashboardData
        {
            SnapshotId = snapshotId, Period = period, CreatedAt = created, Completeness = completeness,
            Provisional = completeness < 1m || values.Any(v => v.Provisional),
            ReturnsExpected = expected, ReturnsReceived = received, Scope = scope,
            ScopeLabel = await Scheduling.ScopeLabels.ResolveAsync(db, scope, ct, nrw: "Nordrhein-Westfalen"),
            Values = values,
            Definitions = DashboardData.DefinitionsOf(catalogue),
            Returns = await ReturnsAsync(db, versionIds, scope, ct),
            Municipalities = await MunicipalitiesAsync(db, scope, ct),
            CostTrend = await TrendAsync(db, snapshotId, period, scope, ct),
            OzgHeat = await OzgHeatAsync(db, versionIds, scope, ct),
            BenchmarkCostPerWorkstation = await BenchmarkAsync(db, ct) ?? 3100m,
        };
    }

    static async Task<IReadOnlyList<ReturnVersionInfo>> ReturnsAsync(NpgsqlDataSource db, long[] ids, KpiScope scope, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select rv.id, rv.provider_code, coalesce(p.name, rv.provider_code), rv.version, rv.status, rv.submitted_by, rv.submitted_at, rv.decided_at
            from return_versions rv left join providers p on p.code = rv.provider_code
            where rv.id = any($1) and ($2 = '' or rv.provider_code = $2)
            order by rv.provider_code, rv.id
            """);
        cmd.Parameters.AddWithValue(ids);
        cmd.Parameters.AddWithValue(scope.Kind == KpiScopeKind.Provider ? scope.Key! : "");
        var list = new List<ReturnVersionInfo>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new ReturnVersionInfo(r.GetInt64(0), r.IsDBNull(1) ? "" : r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetInt32(3),
                r.GetString(4), r.GetString(5), r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7)));
        return list;
    }

    const string OwnDistricts = """
        (@kind = 'nrw' or (@kind = 'district' and d.key = @key) or (@kind = 'region' and d.region_key = @key)
         or (@kind = 'provider' and d.key in (select district_key from provider_districts where provider_code = @key)))
        """;

    static async Task<IReadOnlyList<MunicipalityInfo>> MunicipalitiesAsync(NpgsqlDataSource db, KpiScope scope, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            select m.ags, m.name, m.district_key, d.name, m.population, m.longitude, m.latitude
            from municipalities m join districts d on d.key = m.district_key
            where {OwnDistricts}
            order by m.ags
            """);
        AddScope(cmd, scope);
        var list = new List<MunicipalityInfo>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new MunicipalityInfo(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4),
                r.IsDBNull(5) ? null : r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6)));
        return list;
    }

    static void AddScope(NpgsqlCommand cmd, KpiScope scope)
    {
        cmd.Parameters.AddWithValue("kind", scope.Kind.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("key", scope.Key ?? "");
    }

    /// <summary>Total cost of the recipient's slice per period: this snapshot, and the latest snapshot of each earlier period.</summary>
    static async Task<IReadOnlyList<TrendPoint>> TrendAsync(NpgsqlDataSource db, long snapshotId, string period, KpiScope scope, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select distinct on (s.period) s.period, s.id, kv.value, coalesce(kv.provisional, true), p.starts_on
            from kpi_snapshots s
            join periods p on p.period = s.period
            left join kpi_values kv on kv.snapshot_id = s.id and kv.kpi_id = 'total_cost' and kv.dimension = @dim and kv.slice_key = @slice
            where (s.id = @snap or s.period <> @period)
              and p.starts_on <= (select starts_on from periods where period = @period)
            order by s.period, s.id = @snap desc, s.created_at desc, s.id desc
            """);
        cmd.Parameters.AddWithValue("snap", snapshotId);
        cmd.Parameters.AddWithValue("period", period);
        cmd.Parameters.AddWithValue("dim", scope.OwnDimension);
        cmd.Parameters.AddWithValue("slice", scope.OwnSliceKey);
        var rows = new List<(TrendPoint Point, DateOnly Start)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            rows.Add((new TrendPoint(r.GetString(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetDecimal(2), r.GetBoolean(3)), r.GetFieldValue<DateOnly>(4)));
        return rows.OrderBy(x => x.Start).ThenBy(x => x.Point.Period, StringComparer.Ordinal).Select(x => x.Point).ToList();
    }

    /// <summary>
    /// OZG online rate per topic and district, computed here from ozg_facts of the snapshot's return versions because
    /// the KPI engine has no topic x district KPI: share of (municipality, OZG service) pairs at maturity 2 or higher
    /// (the dashboard's "online" threshold, see ozg_reifegrade.csv), the best maturity any provider reported per pair.
    /// The NRW column is the state-wide rate per topic, shown to everyone for comparison.
    /// </summary>
    static async Task<IReadOnlyList<OzgHeatCell>> OzgHeatAsync(NpgsqlDataSource db, long[] ids, KpiScope scope, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            with best as (
              select f.ags, f.ozg_id, max(f.maturity) as maturity
              from ozg_facts f where f.return_version_id = any(@ids)
              group by f.ags, f.ozg_id
            ),
            facts as (
              select o.topic, m.district_key, d.name as district_name, d.kind, b.maturity
              from best b join municipalities m on m.ags = b.ags join districts d on d.key = m.district_key
              join ozg_services o on o.ozg_id = b.ozg_id
            )
            select topic, district_key, case when kind = 'Kreis' then 'Kreis ' || district_name else district_name end,
                   avg((maturity >= 2)::int)::numeric, count(*)::int
            from facts d where {OwnDistricts.Replace("d.key", "d.district_key")}
            group by topic, district_key, district_name, kind
            union all
            select topic, 'NRW', 'NRW', avg((maturity >= 2)::int)::numeric, count(*)::int from facts group by topic
            order by 1, 2
            """.Replace("d.region_key = @key", "d.district_key in (select key from districts where region_key = @key)"));
        cmd.Parameters.AddWithValue("ids", ids);
        AddScope(cmd, scope);
        var list = new List<OzgHeatCell>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new OzgHeatCell(r.GetString(0), r.GetString(1), r.GetString(2), r.GetDecimal(3), r.GetInt32(4)));
        return list;
    }

    static async Task<decimal?> BenchmarkAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("select value from kpi_reference_values where name = 'IT-Kosten je IT-Arbeitsplatz' and value is not null");
        return await cmd.ExecuteScalarAsync(ct) as decimal?;
    }
}
