using System.Text.Json;
using Npgsql;

namespace Reporting.Kpis;

/// <summary>
/// What a provider may see of others, so that no arithmetic on what it sees yields another provider's figure:
/// <list type="bullet">
/// <item>Aggregates and comparisons come from the reader's <em>publication</em> (kpi_publications), stored by the
///   engine with each snapshot and never worked out again on reading. The first snapshot with at least
///   Kpis:AnonymityMinProviders contributing providers is published; a later one only once the contributed facts of
///   at least that many providers other than the reader differ from the last publication's (a hash per provider:
///   an unchanged re-submission is no change). The difference between any two aggregates a provider sees is
///   therefore the sum of at least that many providers' changes, never one provider's contribution.</item>
/// <item>The previous value (and so the change) of an aggregate comes from the previous period's publication in
///   force for the reader when its own publication was made, frozen with it: a late return for the previous period
///   would otherwise show as the difference between the previous value and that period's aggregate.</item>
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
    /// A provider's publication: the snapshot whose aggregates it sees, since when, and its previous.
    /// </summary>
    public sealed record Publication(long Id, long SnapshotId, DateTimeOffset PublishedAt, long? PreviousSnapshotId);

    /// <summary>
    /// The reader's publication in force when snapshot <paramref name="snapshotId"/> was made (its last one for that
    /// snapshot or an earlier one of the period); null: none yet. Only reads what the engine stored.
    /// </summary>
    public static async Task<Publication?> PublicationAsync(
        NpgsqlConnection conn, long snapshotId, string reader, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select p.id, p.snapshot_id, p.published_at, prev.snapshot_id
            from kpi_snapshots me
            join kpi_snapshots s on s.period = me.period and (s.created_at, s.id) <= (me.created_at, me.id)
            join kpi_publications p on p.snapshot_id = s.id and p.reader = $2
            left join kpi_publications prev on prev.id = p.previous_publication_id
            where me.id = $1
            order by p.id desc
            limit 1
            """, conn) { Parameters = { new() { Value = snapshotId }, new() { Value = reader } } };
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new Publication(r.GetInt64(0), r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2),
                r.IsDBNull(3) ? null : r.GetInt64(3))
            : null;
    }

    /// <summary>
    /// Per provider in the run's input table f, a hash of the facts it contributes (measure, slice, value; not the
    /// version id, sheet or cell), so that an unchanged re-submission hashes the same.
    /// </summary>
    public static async Task<Dictionary<string, string>> ContributionsAsync(NpgsqlConnection conn,
        NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select provider_code, md5(string_agg(fact, E'\n' order by fact))
            from (select provider_code,
                         concat_ws('|', measure, ags, service_code, cost_type, ozg_id, trim_scale(value)) as fact
                  from f where provider_code is not null) x
            group by provider_code
            """, conn, tx);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await r.ReadAsync(ct)) hashes[r.GetString(0)] = r.GetString(1);
        return hashes;
    }

    /// <summary>
    /// Records the publications snapshot <paramref name="snapshotId"/> makes, on the engine's transaction. Every
    /// registered provider is a reader. Its first publication of a period is the first snapshot with at least
    /// <paramref name="minProviders"/> contributing providers; a later one only once the contributions (facts
    /// hashes) of at least that many providers other than the reader differ from its last publication's basis. The
    /// previous period's publication in force for the reader is frozen with it.
    /// </summary>
    /// <returns>The number of publications made.</returns>
    public static async Task<int> PublishAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string period,
        long snapshotId, long? previousSnapshotId, IReadOnlyDictionary<string, string> contributions,
        int minProviders, CancellationToken ct)
    {
        var last = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var previous = new Dictionary<string, long>(StringComparer.Ordinal);
        var readers = new List<string>();
        await using (var cmd = new NpgsqlCommand("select code from providers order by code", conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) readers.Add(r.GetString(0));
        await using (var cmd = new NpgsqlCommand("""
            select distinct on (reader) reader, basis::text from kpi_publications
            where period = $1 order by reader, id desc
            """, conn, tx) { Parameters = { new() { Value = period } } })
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                last[r.GetString(0)] = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(1))!;
        if (previousSnapshotId is { } ps)
        {
            await using var cmd = new NpgsqlCommand("""
                select distinct on (p.reader) p.reader, p.id from kpi_publications p
                where p.period = (select period from kpi_snapshots where id = $1)
                order by p.reader, p.id desc
                """, conn, tx) { Parameters = { new() { Value = ps } } };
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) previous[r.GetString(0)] = r.GetInt64(1);
        }

        var basis = JsonSerializer.Serialize(new SortedDictionary<string, string>(
            contributions.ToDictionary(), StringComparer.Ordinal));
        var made = 0;
        foreach (var reader in readers)
        {
            if (!Publishes(reader, contributions, last.GetValueOrDefault(reader), minProviders)) continue;
            await using var cmd = new NpgsqlCommand("""
                insert into kpi_publications (period, reader, snapshot_id, previous_publication_id, basis)
                values ($1, $2, $3, $4, $5::jsonb)
                on conflict (period, reader, snapshot_id) do nothing
                """, conn, tx)
            {
                Parameters =
                {
                    new() { Value = period }, new() { Value = reader }, new() { Value = snapshotId },
                    new() { Value = previous.TryGetValue(reader, out var p) ? p : DBNull.Value },
                    new() { Value = basis },
                },
            };
            made += await cmd.ExecuteNonQueryAsync(ct);
        }
        return made;
    }

    /// <summary>
    /// Whether contributions <paramref name="now"/> make a new publication for <paramref name="reader"/> after
    /// <paramref name="last"/> (null: none yet).
    /// </summary>
    public static bool Publishes(string reader, IReadOnlyDictionary<string, string> now,
        IReadOnlyDictionary<string, string>? last, int minProviders)
    {
        if (last is null) return now.Count >= minProviders;
        var changed = now.Keys.Union(last.Keys)
            .Count(code => code != reader && now.GetValueOrDefault(code) != last.GetValueOrDefault(code));
        return changed >= minProviders;
    }

    /// <summary>
    /// The reader's aggregates (rows of no provider) with their previous value taken from the snapshot of the
    /// previous period's publication frozen with the reader's publication; null where there is none.
    /// </summary>
    public static async Task<List<KpiValue>> WithPublishedPreviousAsync(NpgsqlConnection conn, List<KpiValue> values,
        Publication? publication, CancellationToken ct)
    {
        var before = new Dictionary<(string, string, string), decimal?>();
        if (publication?.PreviousSnapshotId is { } pp)
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
