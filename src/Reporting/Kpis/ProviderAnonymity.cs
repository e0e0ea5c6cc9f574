using Npgsql;

namespace Reporting.Kpis;

/// <summary>
/// What a provider may see of others, so that no arithmetic on what it sees yields another provider's figure:
/// <list type="bullet">
/// <item>Aggregates and comparisons come from the period's latest <em>published</em> snapshot, not simply the
///   latest one. The first snapshot with at least Kpis:AnonymityMinProviders providers is published; a later one
///   only once the returns of at least that many providers other than the reader differ from the last published
///   one. The difference between any two aggregates a provider sees is therefore the sum of at least that many
///   providers' changes, never one provider's contribution (the differencing attack).</item>
/// <item>The previous value (and so the change) of an aggregate comes from the previous period's snapshot that was
///   published for the reader when the aggregate's own snapshot was computed, not from that period's latest one: a
///   late return for the previous period would otherwise show as the difference between the previous value and the
///   previous period's aggregate the reader sees. It is frozen: later snapshots of the previous period do not move it.
///   </item>
/// <item>Comparisons are band means, not order statistics: min, median and max are single providers' values. The
///   sorted values are cut into disjoint bands of at least <see cref="MinBand"/> providers each (three bands from
///   nine providers, two from six, none below): a reader in a band learns at most the sum of two others.</item>
/// </list>
/// </summary>
public static class ProviderAnonymity
{
    /// <summary>The fewest providers one band mean may stand for.</summary>
    public const int MinBand = 3;

    /// <summary>
    /// The snapshot whose aggregates the provider sees along with snapshot <paramref name="snapshotId"/>;
    /// null: none yet.
    /// </summary>
    public static async Task<long?> PublishedSnapshotAsync(
        NpgsqlConnection conn, long snapshotId, string reader, int minProviders, CancellationToken ct)
    {
        var snapshots = new List<(long Id, Dictionary<string, long> Versions)>();
        await using (var cmd = new NpgsqlCommand("""
            select s.id, rv.provider_code, rv.id
            from kpi_snapshots me
            join kpi_snapshots s on s.period = me.period and (s.created_at, s.id) <= (me.created_at, me.id)
            cross join unnest(s.return_version_ids) as u(id)
            join return_versions rv on rv.id = u.id
            where me.id = $1 and rv.provider_code is not null
            order by s.created_at, s.id
            """, conn) { Parameters = { new() { Value = snapshotId } } })
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                var id = r.GetInt64(0);
                if (snapshots.Count == 0 || snapshots[^1].Id != id) snapshots.Add((id, new()));
                snapshots[^1].Versions[r.GetString(1)] = r.GetInt64(2);
            }

        (long Id, Dictionary<string, long> Versions)? published = null;
        foreach (var s in snapshots)
        {
            if (published is not { } p)
            {
                if (s.Versions.Count >= minProviders) published = s;
                continue;
            }
            var changed = s.Versions.Keys.Union(p.Versions.Keys)
                .Count(code => code != reader
                    && s.Versions.GetValueOrDefault(code) != p.Versions.GetValueOrDefault(code));
            if (changed >= minProviders) published = s;
        }
        return published?.Id;
    }

    /// <summary>
    /// The reader's aggregates (rows of no provider) with their previous value taken from the previous period's
    /// snapshot as published for the reader at the time <paramref name="published"/> was computed (the engine
    /// records that period's latest snapshot then as previous_snapshot_id); null where there is none.
    /// </summary>
    public static async Task<List<KpiValue>> WithPublishedPreviousAsync(NpgsqlConnection conn, List<KpiValue> values,
        long published, string reader, int minProviders, CancellationToken ct)
    {
        long? previous;
        await using (var cmd = new NpgsqlCommand("select previous_snapshot_id from kpi_snapshots where id = $1", conn)
                     { Parameters = { new() { Value = published } } })
            previous = await cmd.ExecuteScalarAsync(ct) is long id ? id : null;
        var previousPublished = previous is { } p
            ? await PublishedSnapshotAsync(conn, p, reader, minProviders, ct)
            : null;

        var before = new Dictionary<(string, string, string), decimal?>();
        if (previousPublished is { } pp)
        {
            await using var cmd = new NpgsqlCommand("""
                select kpi_id, dimension, slice_key, value from kpi_values
                where snapshot_id = $1 and provider_code is null
                """, conn) { Parameters = { new() { Value = pp } } };
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                before[(r.GetString(0), r.GetString(1), r.GetString(2))] = r.IsDBNull(3) ? null : r.GetDecimal(3);
        }
        return values
            .Select(v => v.ProviderCode is not null ? v
                : v with { PreviousValue = before.GetValueOrDefault((v.KpiId, v.Dimension, v.SliceKey)) })
            .ToList();
    }

    /// <summary>
    /// Band means per KPI and group for groups of at least <paramref name="minProviders"/> providers that include the
    /// reader: Min is the mean of the lowest band, Max of the highest, Median of the middle band (two bands: of all).
    /// </summary>
    public static List<KpiComparison> Bands(IEnumerable<KpiValue> providerValues, int minProviders, string reader) =>
        SnapshotReader.Compare(providerValues, minProviders, reader)
            .Select(c => (Comparison: c, Values: providerValues
                .Where(v => v.KpiId == c.KpiId && v.Dimension == c.Dimension && SnapshotReader.GroupOf(v) == c.GroupKey)
                .Select(v => v.Value!.Value).Order().ToList()))
            .Where(x => x.Values.Count >= 2 * MinBand)
            .Select(x =>
            {
                var xs = x.Values;
                var n = xs.Count;
                if (n < 3 * MinBand)
                {
                    var half = n / 2;
                    return x.Comparison with
                    {
                        Min = Mean(xs[..half]), Median = Mean(xs), Max = Mean(xs[half..]), Basis = "bands",
                    };
                }
                var third = n / 3;
                return x.Comparison with
                {
                    Min = Mean(xs[..third]), Median = Mean(xs[third..^third]), Max = Mean(xs[^third..]),
                    Basis = "bands",
                };
            })
            .ToList();

    static decimal Mean(List<decimal> xs) => Math.Round(xs.Average(), 6);
}
