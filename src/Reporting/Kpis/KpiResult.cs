using Npgsql;

namespace Reporting.Kpis;

/// <summary>
/// One computed KPI value with its label, before it is stored (or instead: a scenario keeps its values in memory).
/// </summary>
public sealed record KpiResult(string KpiId, string Dimension, string SliceKey, string SliceLabel,
    string? DistrictKey, string? ProviderCode, decimal? Value, decimal? Numerator, decimal? Denominator)
{
    /// <summary>The stored values of a snapshot, every slice (no scope applied).</summary>
    public static async Task<List<KpiResult>> OfSnapshotAsync(NpgsqlConnection conn, NpgsqlTransaction? tx,
        long snapshotId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select kpi_id, dimension, slice_key, slice_label, district_key, provider_code, value, numerator,
                   denominator
            from kpi_values where snapshot_id = $1
            """, conn, tx) { Parameters = { new() { Value = snapshotId } } };
        return await ReadAllAsync(cmd, ct);
    }

    /// <summary>Reads rows of the columns above, in that order.</summary>
    internal static async Task<List<KpiResult>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<KpiResult>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        decimal? Dec(int i) => r.IsDBNull(i) ? null : r.GetDecimal(i);
        string? Str(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        while (await r.ReadAsync(ct))
            list.Add(new KpiResult(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Str(4), Str(5),
                Dec(6), Dec(7), Dec(8)));
        return list;
    }
}
