using Microsoft.Extensions.Options;
using Npgsql;

namespace Reporting.Kpis;

/// <summary>
/// Loads a stored snapshot as a scope may see it (renderer, mails, API, CLI all read through here):
/// - nrw: everything;
/// - region / district: its own territory's rows (the region, its districts, their municipalities; a district also
///   its region's aggregate) plus NRW-wide aggregates (nrw, service, cost type, OZG rows), the rows of providers
///   registered for its districts, and nothing of other districts' individual rows;
/// - provider: its own rows, NRW-wide aggregates only from its stored publication (ProviderAnonymity: at least
///   Kpis:AnonymityMinProviders providers, and as many others materially changed since its last one; service rows
///   only when that many providers run the service) whose previous value is the previous period's publication
///   frozen with it, no territory rows, comparisons as band means (ProviderAnonymity.Bands), and the publication's
///   id and time as the answer's id and time.
/// </summary>
public sealed class SnapshotReader(NpgsqlDataSource db, IOptions<KpisOptions> options)
{
    const string Territory = "('region', 'district', 'municipality', 'district_ozg_topic')";

    /// <summary>Kpis:AnonymityMinProviders, for saying why a comparison is withheld.</summary>
    public int AnonymityMinProviders => options.Value.AnonymityMinProviders;

    /// <summary>The period's latest snapshot, or null when none was computed yet.</summary>
    public Task<long?> LatestAsync(string period, CancellationToken ct = default) => LatestAsync(db, period, ct);

    /// <summary>The one definition of a period's latest snapshot: the last created (ties: the higher id).</summary>
    public static async Task<long?> LatestAsync(NpgsqlDataSource db, string period, CancellationToken ct = default)
    {
        await using var cmd = db.CreateCommand("""
            select id from kpi_snapshots
            where period = $1
            order by created_at desc, id desc
            limit 1
            """);
        cmd.Parameters.Add(new() { Value = period });
        return await cmd.ExecuteScalarAsync(ct) is long id ? id : null;
    }

    public async Task<KpiSnapshot?> LoadAsync(long snapshotId, KpiScope scope, CancellationToken ct = default)
    {
        var o = options.Value;
        await using var conn = await db.OpenConnectionAsync(ct);
        string period, catalogueHash;
        DateTimeOffset created;
        decimal completeness;
        int expected, received;
        await using (
            var cmd = new NpgsqlCommand(
                "select period, created_at, completeness, returns_expected, returns_received, catalogue_hash from "
                    + "kpi_snapshots where id = $1", conn) { Parameters = { new() { Value = snapshotId } } })
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (!await r.ReadAsync(ct)) return null;
            (period, created, completeness, expected, received, catalogueHash) =
                (r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetDecimal(2), r.GetInt32(3), r.GetInt32(4),
                    r.GetString(5));
        }

        var versions = new List<KpiReturnVersion>();
        await using (var cmd = new NpgsqlCommand("""
            select rv.id, rv.provider_code, coalesce(p.name, rv.provider_code), rv.version, rv.decided_at
            from kpi_snapshots s cross join unnest(s.return_version_ids) as u(id)
            join return_versions rv on rv.id = u.id left join providers p on p.code = rv.provider_code
            where s.id = $1 and ($2::text is null or rv.provider_code = $2)
            order by rv.provider_code, rv.id
            """, conn)
        {
            Parameters =
            {
                new() { Value = snapshotId },
                new() { Value = scope.Kind == KpiScopeKind.Provider ? scope.Key! : DBNull.Value },
            },
        })
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                versions.Add(new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetInt32(3),
                    r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4)));

        var filter = scope.Kind switch
        {
            KpiScopeKind.Nrw => "true",
            KpiScopeKind.District => $"""
                (v.provider_code is null and (v.dimension not in {Territory} or v.district_key = $2
                   or (v.dimension = 'region' and v.slice_key = (select region_key from districts where key = $2))))
                or v.provider_code in (select provider_code from provider_districts where district_key = $2)
                """,
            KpiScopeKind.Region => $"""
                (v.provider_code is null and (v.dimension not in {Territory}
                   or (v.dimension = 'region' and v.slice_key = $2)
                   or v.district_key in (select key from districts where region_key = $2)))
                or v.provider_code in (select pd.provider_code from provider_districts pd
                  join districts d on d.key = pd.district_key where d.region_key = $2)
                """,
            // A provider: its own rows of this snapshot; others' only as aggregates of the published snapshot ($4).
            _ => $"""
                (v.snapshot_id = $1 and v.provider_code = $2)
                or (v.snapshot_id = $4 and v.provider_code is null
                    and v.dimension not in {Territory} and v.dimension <> 'service')
                or (v.snapshot_id = $4 and v.dimension = 'service' and exists (
                      select 1 from kpi_values pps where pps.snapshot_id = v.snapshot_id
                        and pps.kpi_id = 'providers_per_service'
                        and pps.dimension = 'service' and pps.slice_key = v.slice_key and pps.value >= $3))
                """,
        };
        var isProvider = scope.Kind == KpiScopeKind.Provider;
        var publication = isProvider
            ? await ProviderAnonymity.PublicationAsync(conn, snapshotId, scope.Key!, ct)
            : null;
        var published = isProvider ? publication?.SnapshotId ?? -1 : snapshotId;
        var counts = isProvider ? await ReturnsCountedAsync(conn, published, ct) : (completeness, expected, received);
        var where = isProvider ? filter : $"v.snapshot_id = $1 and ({filter})";
        var values = await ReadValuesAsync(conn,
            $"select * from kpi_values v where {where} order by v.kpi_id, v.dimension, v.slice_key",
            ct, snapshotId, scope.Key ?? "", o.AnonymityMinProviders, published);
        if (isProvider)
            values = await ProviderAnonymity.WithPublishedPreviousAsync(conn, values, publication, ct);

        var all = await ReadValuesAsync(conn,
            "select * from kpi_values v where v.snapshot_id = $1 and v.provider_code is not null and v.value is not "
                + "null",
            ct, published);
        var comparisons = isProvider
            ? ProviderAnonymity.Bands(all, o.AnonymityMinProviders, scope.Key!)
            : Compare(all, o.AnonymityMinProviders, null);

        // A provider is told its publication's id and time, never the latest snapshot's: they would tell it when
        // others reported. Before any publication, its own newest accepted return dates what it sees.
        var (id, at) = !isProvider ? (snapshotId, created)
            : publication is { } pub ? (pub.Id, pub.PublishedAt)
            : (0L, versions.Select(v => v.AcceptedAt).Max() ?? DateTimeOffset.UnixEpoch);
        return new KpiSnapshot(id, period, at, counts.Completeness, counts.Expected, counts.Received,
            completeness < o.ProvisionalBelow,
            catalogueHash, scope, versions, values, comparisons);
    }

    /// <summary>The returns counted by a snapshot, or none for -1 (nothing published).</summary>
    static async Task<(decimal? Completeness, int? Expected, int? Received)> ReturnsCountedAsync(
        NpgsqlConnection conn, long snapshotId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "select completeness, returns_expected, returns_received from kpi_snapshots where id = $1", conn);
        cmd.Parameters.Add(new() { Value = snapshotId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetDecimal(0), r.GetInt32(1), r.GetInt32(2)) : (null, null, null);
    }

    /// <summary>
    /// Min/median/max across providers per KPI and group, for groups with enough providers (and, for a provider, its
    /// own groups).
    /// </summary>
    internal static List<KpiComparison> Compare(IEnumerable<KpiValue> providerValues, int minProviders,
        string? onlyGroupsOf)
    {
        return providerValues
            .GroupBy(v => (v.KpiId, v.Dimension, Group: GroupOf(v)))
            .Where(g => g.Select(v => v.ProviderCode).Distinct().Count() >= minProviders)
            .Where(g => onlyGroupsOf is null || g.Any(v => v.ProviderCode == onlyGroupsOf))
            .Select(g =>
            {
                var xs = g.Select(v => v.Value!.Value).Order().ToList();
                var mid = xs.Count / 2;
                var median = xs.Count % 2 == 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
                return new KpiComparison(g.Key.KpiId, g.Key.Dimension, g.Key.Group, xs.Count, xs[0], median, xs[^1]);
            })
            .OrderBy(c => c.KpiId, StringComparer.Ordinal).ThenBy(c => c.Dimension, StringComparer.Ordinal).ThenBy(c
                => c.GroupKey, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The comparison group of a provider-level value: NRW for "provider", else service or cost type.
    /// </summary>
    internal static string GroupOf(KpiValue v) =>
        v.Dimension == KpiDimensions.Provider ? KpiDimensions.NrwKey : v.SliceKey[(v.SliceKey.IndexOf('|') + 1)..];

    static async Task<List<KpiValue>> ReadValuesAsync(NpgsqlConnection conn, string sql, CancellationToken ct,
        params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<KpiValue>();
        decimal? Dec(string c) => r.IsDBNull(r.GetOrdinal(c)) ? null : r.GetDecimal(r.GetOrdinal(c));
        string? Str(string c) => r.IsDBNull(r.GetOrdinal(c)) ? null : r.GetString(r.GetOrdinal(c));
        while (await r.ReadAsync(ct))
            list.Add(new KpiValue(Str("kpi_id")!, Str("dimension")!, Str("slice_key")!, Str("slice_label")!,
                Str("district_key"), Str("provider_code"),
                Dec("value"), Dec("numerator"), Dec("denominator"), Dec("previous_value"),
                    r.GetDecimal(r.GetOrdinal("completeness")), r.GetBoolean(r.GetOrdinal("provisional"))));
        return list;
    }
}
