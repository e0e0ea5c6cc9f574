using Npgsql;

namespace Reporting.Ingestion;

/// <summary>
/// A fact that differs from the previous version. Fact: cost | supply | ozg; Change: added | removed | changed.
/// </summary>
public sealed record FactChange(string Fact, string Key, string Change, string? Old, string? New);

/// <summary>What a version changed against the version before it of the same return.</summary>
public sealed class VersionDiff(NpgsqlDataSource db)
{
    /// <returns>The previous version's id (null for a first version) and the changes; a first version lists all facts
    /// as added.</returns>
    public async Task<(long? PreviousVersionId, IReadOnlyList<FactChange> Changes)> CompareAsync(long versionId,
        CancellationToken ct = default)
    {
        long? previous;
        await using (var cmd = db.CreateCommand("""
            select p.id from return_versions v
            join return_versions p on p.return_id = v.return_id and p.version = v.version - 1
            where v.id = $1
            """))
        {
            cmd.Parameters.Add(new() { Value = versionId });
            previous = await cmd.ExecuteScalarAsync(ct) as long?;
        }

        // Each fact table: full outer join of old and new on the fact's key, rendered as text for display.
        await using var diff = db.CreateCommand("""
            with o as (select * from cost_facts where return_version_id = $2), n as (select * from cost_facts
              where return_version_id = $1)
            select 'cost', coalesce(n.service_code, o.service_code) || '/' || coalesce(n.cost_type, o.cost_type),
                   o.amount::text, n.amount::text
            from o full join n using (service_code, cost_type)
            where o.amount is distinct from n.amount
            union all
            select 'supply', s.ags || '/' || s.service_code, s.old, s.new from (
              select coalesce(n.ags, o.ags) ags, coalesce(n.service_code, o.service_code) service_code,
                     case when o.ags is not null
                       then o.workstations || ' AP, ' || o.users || ' Nutzer, ' || o.charges || ' €' end old,
                     case when n.ags is not null
                       then n.workstations || ' AP, ' || n.users || ' Nutzer, ' || n.charges || ' €' end new
              from (select * from supply_facts where return_version_id = $2) o
              full join (select * from supply_facts where return_version_id = $1) n using (ags, service_code)) s
            where s.old is distinct from s.new
            union all
            select 'ozg', s.ags || '/' || s.ozg_id, s.old, s.new from (
              select coalesce(n.ags, o.ags) ags, coalesce(n.ozg_id, o.ozg_id) ozg_id,
                     case when o.ags is not null
                       then 'Reifegrad ' || o.maturity || case when o.efa then ', EfA' else '' end
                         || coalesce(', online seit ' || o.online_since, '') end old,
                     case when n.ags is not null
                       then 'Reifegrad ' || n.maturity || case when n.efa then ', EfA' else '' end
                         || coalesce(', online seit ' || n.online_since, '') end new
              from (select * from ozg_facts where return_version_id = $2) o
              full join (select * from ozg_facts where return_version_id = $1) n using (ags, ozg_id)) s
            where s.old is distinct from s.new
            order by 1, 2
            """);
        Bind(diff, versionId, previous ?? -1);
        await using var r = await diff.ExecuteReaderAsync(ct);
        var changes = new List<FactChange>();
        while (await r.ReadAsync(ct))
        {
            string? old = r.IsDBNull(2) ? null : r.GetString(2), @new = r.IsDBNull(3) ? null : r.GetString(3);
            changes.Add(new(r.GetString(0), r.GetString(1), old is null ? "added" : @new is null
                ? "removed" : "changed", old, @new));
        }
        return (previous, changes);

        static void Bind(NpgsqlCommand c, long current, long old)
        {
            c.Parameters.Add(new() { Value = current });
            c.Parameters.Add(new() { Value = old });
        }
    }
}
