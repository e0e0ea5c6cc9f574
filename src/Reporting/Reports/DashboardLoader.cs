using Reporting.Kpis;
using Reporting.Reference;
using Npgsql;

namespace Reporting.Reports;

/// <summary>
/// One KPI snapshot as a dashboard needs it: the values a scope may see come from <see cref="SnapshotReader"/> (the
/// one place where scope rules live, shared with the API and the CLI); around them what only the dashboard shows
/// (municipalities of the scope, the returns that went in, earlier periods' snapshots read the same way).
/// </summary>
public static class DashboardLoader
{
    /// <summary>The latest snapshot of a period, or null when the KPI engine has not run for it.</summary>
    public static Task<long?> LatestSnapshotAsync(NpgsqlDataSource db, string period, CancellationToken ct = default) =>
        SnapshotReader.LatestAsync(db, period, ct);

    public static async Task<DashboardData> LoadAsync(NpgsqlDataSource db, KpiCatalogue catalogue,
        SnapshotReader snapshots, long snapshotId, KpiScope scope, CancellationToken ct = default)
    {
        string period; DateTimeOffset created; long[] versionIds;
        decimal? quantile;
        await using (var cmd = db.CreateCommand("""
            select period, created_at, return_version_ids, (parameters->>'benchmark_quantile')::numeric
            from kpi_snapshots where id = $1
            """))
        {
            cmd.Parameters.AddWithValue(snapshotId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) throw new InvalidOperationException($"no KPI snapshot with id {snapshotId}");
            period = r.GetString(0); created = r.GetFieldValue<DateTimeOffset>(1); versionIds = r.GetFieldValue<long[]>(
                2);
            quantile = r.IsDBNull(3) ? null : r.GetDecimal(3);
        }

        // The dashboard's own value type: its Change is relative (the engine's is the absolute difference).
        var snapshot = (await snapshots.LoadAsync(snapshotId, scope, ct))!;
        var values = snapshot.Values
            .Select(v
                => new DashboardValue(v.KpiId, v.Dimension, v.SliceKey, v.SliceLabel, v.DistrictKey, v.ProviderCode,
                v.Value, v.Numerator, v.Denominator, v.PreviousValue, v.Completeness, v.Provisional))
            .ToList();
        // The returns counted are NRW aggregates like any other: read through SnapshotReader for the scope (a
        // provider below the anonymity minimum sees none, above it those of its published snapshot), never from
        // the snapshot row, whose counts would tell a provider how many others reported.
        decimal? Nrw(string kpi) =>
            values.FirstOrDefault(v => v.KpiId == kpi && v.Dimension == KpiDimensions.Nrw)?.Value;
        var completeness = Nrw("returns_completeness");
        var boundaries = await BoundariesAsync(db, scope, ct);

        return new DashboardData
        {
            SnapshotId = snapshotId, ShownId = snapshot.Id, Period = period, CreatedAt = snapshot.CreatedAt,
            Completeness = completeness,
            Provisional = completeness < 1m || values.Any(v => v.Provisional),
            ReturnsExpected = (int?)Nrw("returns_expected"), ReturnsReceived = (int?)Nrw("returns_received"),
            Scope = scope,
            ScopeLabel = await ScopeLabels.ResolveAsync(db, scope, ct, nrw: "Nordrhein-Westfalen"),
            Values = values,
            Comparisons = snapshot.Comparisons,
            Definitions = DashboardData.DefinitionsOf(catalogue),
            Returns = await ReturnsAsync(db, versionIds, scope, ct),
            Municipalities = await MunicipalitiesAsync(db, scope, ct),
            Boundaries = boundaries.Select(b => b.Outline).ToList(),
            BoundaryAttribution = boundaries.Select(b => b.Attribution).FirstOrDefault() ?? "",
            CostTrend = await TrendAsync(db, snapshots, values, snapshotId, period, scope, ct),
            OzgHeat = OzgHeat(values),
            BenchmarkCostPerWorkstation = await BenchmarkAsync(db, ct) ?? 3100m,
            BenchmarkQuantile = quantile,
            AnonymityMinProviders = snapshots.AnonymityMinProviders,
        };
    }

    static async Task<IReadOnlyList<DashboardReturnVersion>> ReturnsAsync(NpgsqlDataSource db, long[] ids,
        KpiScope scope, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            select rv.id, rv.provider_code, coalesce(p.name, rv.provider_code), rv.version, rv.status, rv.submitted_by,
              rv.submitted_at, rv.decided_at
            from return_versions rv left join providers p on p.code = rv.provider_code
            where rv.id = any($1) and ($2 = '' or rv.provider_code = $2)
            order by rv.provider_code, rv.id
            """);
        cmd.Parameters.AddWithValue(ids);
        cmd.Parameters.AddWithValue(scope.Kind == KpiScopeKind.Provider ? scope.Key! : "");
        var list = new List<DashboardReturnVersion>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new DashboardReturnVersion(r.GetInt64(0), r.IsDBNull(1) ? "" : r.GetString(1), r.GetString(2),
                r.IsDBNull(3) ? null : r.GetInt32(3),
                r.GetString(4), r.GetString(5), r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7)
                    ? null : r.GetFieldValue<DateTimeOffset>(7)));
        return list;
    }

    const string OwnDistricts = """
        (@kind = 'nrw' or (@kind = 'district' and d.key = @key) or (@kind = 'region' and d.region_key = @key)
         or (@kind = 'provider' and d.key in (select district_key from provider_districts where provider_code = @key)))
        """;

    static async Task<IReadOnlyList<MunicipalityInfo>> MunicipalitiesAsync(NpgsqlDataSource db, KpiScope scope,
        CancellationToken ct)
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

    /// <summary>The outlines of the districts in the regions the scope's districts lie in (all for NRW).</summary>
    static async Task<List<(DistrictOutline Outline, string Attribution)>> BoundariesAsync(NpgsqlDataSource db,
        KpiScope scope, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            select d.key, d.name, {OwnDistricts}, b.geometry::text, b.attribution
            from district_boundaries b join districts d on d.key = b.district_key
            where @kind = 'nrw' or d.region_key in (select d.region_key from districts d where {OwnDistricts})
            order by d.key
            """);
        AddScope(cmd, scope);
        var list = new List<(DistrictOutline, string)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add((new DistrictOutline(r.GetString(0), r.GetString(1), r.GetBoolean(2),
                DistrictBoundaries.Polygons(r.GetString(3))), r.GetString(4)));
        return list;
    }

    static void AddScope(NpgsqlCommand cmd, KpiScope scope)
    {
        cmd.Parameters.AddWithValue("kind", scope.Kind.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("key", scope.Key ?? "");
    }

    /// <summary>
    /// Total cost of the recipient's slice per period: this snapshot, and the latest snapshot of each earlier period,
    /// each read through <see cref="SnapshotReader"/> for the scope (a provider sees only what it may see there).
    /// </summary>
    static async Task<IReadOnlyList<TrendPoint>> TrendAsync(NpgsqlDataSource db, SnapshotReader snapshots,
        IReadOnlyList<DashboardValue> current, long snapshotId, string period, KpiScope scope, CancellationToken ct)
    {
        var earlier = new List<(string Period, long Id)>();
        await using (var cmd = db.CreateCommand("""
            select distinct on (s.period) s.period, s.id
            from kpi_snapshots s join periods p on p.period = s.period
            where s.period <> $1 and p.starts_on <= (select starts_on from periods where period = $1)
            order by s.period, s.created_at desc, s.id desc
            """))
        {
            cmd.Parameters.AddWithValue(period);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) earlier.Add((r.GetString(0), r.GetInt64(1)));
        }
        static TrendPoint Point(string period, long id, IEnumerable<(string Kpi, string Dim, string Slice, decimal? V,
            bool Provisional)> values, KpiScope scope) =>
            values.FirstOrDefault(v => v.Kpi == "total_cost" && v.Dim == scope.OwnDimension
                && v.Slice == scope.OwnSliceKey)
                is { Kpi: not null } v
                    ? new TrendPoint(period, id, v.V, v.Provisional) : new TrendPoint(period, id, null, true);
        var points = new List<TrendPoint>();
        foreach (var (p, id) in earlier)
        {
            var snap = await snapshots.LoadAsync(id, scope, ct);
            if (snap is null) continue;
            points.Add(Point(p, id, snap.Values.Select(v => (v.KpiId, v.Dimension, v.SliceKey, v.Value, v.Provisional)),
                scope));
        }
        points.Add(Point(period, snapshotId,
            current.Select(v => (v.KpiId, v.Dimension, v.SliceKey, v.Value, v.Provisional)), scope));
        return await OrderByStartAsync(db, points, ct);
    }

    static async Task<IReadOnlyList<TrendPoint>> OrderByStartAsync(NpgsqlDataSource db, List<TrendPoint> points,
        CancellationToken ct)
    {
        var starts = new Dictionary<string, DateOnly>();
        await using var cmd = db.CreateCommand("select period, starts_on from periods where period = any($1)");
        cmd.Parameters.AddWithValue(points.Select(p => p.Period).ToArray());
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) starts[r.GetString(0)] = r.GetFieldValue<DateOnly>(1);
        return points.OrderBy(p => starts.GetValueOrDefault(p.Period)).ThenBy(p => p.Period,
            StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The heat map's cells from the catalogue KPI ozg_topic_online_rate as the scope may see it: its districts'
    /// topic rates (district_ozg_topic) and the NRW column (ozg_topic), which a provider gets only from the
    /// published snapshot (anonymity minimum), like every other NRW aggregate.
    /// </summary>
    internal static IReadOnlyList<OzgHeatCell> OzgHeat(IEnumerable<DashboardValue> values) =>
        values.Where(v => v.KpiId == OzgTopicRate && v.Value is not null
                          && v.Dimension is KpiDimensions.DistrictOzgTopic or KpiDimensions.OzgTopic)
            .Select(v => v.Dimension == KpiDimensions.OzgTopic
                ? new OzgHeatCell(v.SliceKey, KpiDimensions.NrwKey, KpiDimensions.NrwKey, v.Value!.Value,
                    (int)(v.Denominator ?? 0))
                : new OzgHeatCell(v.SliceKey[(v.SliceKey.IndexOf('|') + 1)..], v.SliceKey[..v.SliceKey.IndexOf('|')],
                    v.SliceLabel, v.Value!.Value, (int)(v.Denominator ?? 0)))
            .OrderBy(c => c.Topic, StringComparer.Ordinal).ThenBy(c => c.ColumnKey, StringComparer.Ordinal)
            .ToList();

    const string OzgTopicRate = "ozg_topic_online_rate";

    static async Task<decimal?> BenchmarkAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "select value from kpi_reference_values where name = 'IT-Kosten je IT-Arbeitsplatz' and value is not null");
        return await cmd.ExecuteScalarAsync(ct) as decimal?;
    }
}
