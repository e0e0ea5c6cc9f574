using Npgsql;
using Reporting.Kpis;

namespace Reporting.Reports;

/// <summary>
/// How a scope is named in a mail's subject and greeting and on a dashboard: "NRW", "Kreis Lindenau", "Regierungsbezirk
/// Köln".
/// </summary>
public static class ScopeLabels
{
    /// <param name="nrw">The whole state's name: "NRW" in subjects, "Nordrhein-Westfalen" on dashboards.</param>
    public static async Task<string> ResolveAsync(NpgsqlDataSource db, KpiScope scope, CancellationToken ct = default,
        string nrw = "NRW")
    {
        if (scope.Kind == KpiScopeKind.Nrw) return nrw;
        await using var cmd = db.CreateCommand(scope.Kind switch
        {
            KpiScopeKind.Region => "select 'Regierungsbezirk ' || name from regions where key = $1",
            // "Lindenau" (Kreis) -> "Kreis Lindenau"; "Auenburg, Stadt" (kreisfreie Stadt) -> "Stadt Auenburg";
            // names that already say what they are ("Rhein-Kreis Neuss", "Städteregion Aachen") as named.
            KpiScopeKind.District => """
                select case
                  when kind = 'Kreis' and name !~* '(kreis|städteregion)' then 'Kreis ' || name
                  when name like '%, Stadt' then 'Stadt ' || left(name, length(name) - 7)
                  else name end
                from districts where key = $1
                """,
            _ => "select name from providers where code = $1",
        });
        cmd.Parameters.Add(new() { Value = scope.Key });
        return await cmd.ExecuteScalarAsync(ct) as string ?? scope.ToString();
    }
}
