using Npgsql;

namespace Reporting.Kpis;

/// <summary>One fact behind a KPI value: whose return, which version, which sheet and cell (or row).</summary>
public sealed record LineageFact(
    string Measure, string? ProviderCode, long ReturnVersionId, int? Version, string Source, string? Sheet,
        string? Cell,
    decimal? Value, string? Ags, string? ServiceCode, string? CostType, int? OzgId);

public sealed record KpiExplanation(long SnapshotId, KpiDefinition Kpi, KpiValue Value, IReadOnlySet<string> Measures,
    int TotalFacts, IReadOnlyList<LineageFact> Facts);

/// <summary>
/// Lineage: the facts behind a stored KPI value, read through the same kpi_input function over the snapshot's
/// return versions as the computation, restricted to the measures the KPI reads (following the KPIs it is
/// derived from) and to the value's slice.
/// </summary>
public sealed class KpiLineage(NpgsqlDataSource db, KpiCatalogue catalogue)
{
    public async Task<KpiExplanation?> ExplainAsync(long snapshotId, string kpiId, string dimension, string sliceKey,
        int limit = 1000, string? onlyProvider = null, CancellationToken ct = default)
    {
        var kpi = catalogue.Find(kpiId) ?? throw new InvalidOperationException($"no KPI '{kpiId}' in the catalogue");
        if (!KpiDimensions.FactKey.TryGetValue(dimension,
            out var key)) throw new InvalidOperationException($"unknown dimension '{dimension}'");

        KpiValue? value = null;
        await using (var cmd = db.CreateCommand("""
            select slice_label, district_key, provider_code, value, numerator, denominator, previous_value,
              completeness, provisional
            from kpi_values where snapshot_id = $1 and kpi_id = $2 and dimension = $3 and slice_key = $4
            """))
        {
            cmd.Parameters.Add(new() { Value = snapshotId });
            cmd.Parameters.Add(new() { Value = kpiId });
            cmd.Parameters.Add(new() { Value = dimension });
            cmd.Parameters.Add(new() { Value = sliceKey });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return null;
            decimal? D(int i) => r.IsDBNull(i) ? null : r.GetDecimal(i);
            value = new KpiValue(kpiId, dimension, sliceKey, r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1),
                r.IsDBNull(2) ? null : r.GetString(2),
                D(3), D(4), D(5), D(6), r.GetDecimal(7), r.GetBoolean(8));
        }

        var measures = KpiShapes.MeasuresOf(catalogue, kpi, dimension);
        var facts = new List<LineageFact>();
        int total;
        if (measures.Count == 0)
        {
            // returns_*: the return versions themselves are the facts.
            const string versionsSql = """
                select 'return', rv.provider_code, rv.id, rv.version, 'return_versions', null, null, null::numeric,
                  null, null, null, null::integer
                from kpi_snapshots s cross join unnest(s.return_version_ids) u(id)
                  join return_versions rv on rv.id = u.id
                where s.id = $1 and ($2::text is null or rv.provider_code = $2) order by rv.provider_code, rv.id
                """;
            total = await ReadFactsAsync(versionsSql, facts, limit, ct, snapshotId, (object?)onlyProvider
                ?? DBNull.Value);
        }
        else
        {
            var sql = $"""
                select f.measure, f.provider_code, f.return_version_id, rv.version, f.source, f.sheet, f.cell, f.value,
                  f.ags, f.service_code, f.cost_type, f.ozg_id
                from (select * from kpi_input((select return_version_ids from kpi_snapshots where id = $1))
                      where measure = any($2) and ({key}) = $3 and ($4::text is null or provider_code = $4)) f
                join return_versions rv on rv.id = f.return_version_id
                order by f.provider_code, f.measure, f.source, f.sheet, f.cell, f.ags, f.service_code, f.cost_type,
                         f.ozg_id
                """;
            total = await ReadFactsAsync(sql, facts, limit, ct, snapshotId, measures.ToArray(), sliceKey,
                (object?)onlyProvider ?? DBNull.Value);
        }
        return new KpiExplanation(snapshotId, kpi, value, measures, total, facts);
    }

    async Task<int> ReadFactsAsync(string sql, List<LineageFact> facts, int limit, CancellationToken ct,
        params object[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var total = 0;
        while (await r.ReadAsync(ct))
        {
            if (total++ >= limit) continue;
            string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            facts.Add(new LineageFact(r.GetString(0), S(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt32(3),
                r.GetString(4), S(5), S(6),
                r.IsDBNull(7) ? null : r.GetDecimal(7), S(8), S(9), S(10), r.IsDBNull(11) ? null : r.GetInt32(11)));
        }
        return total;
    }
}
