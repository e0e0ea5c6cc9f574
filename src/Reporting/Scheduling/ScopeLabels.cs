using Npgsql;

namespace Reporting.Scheduling;

/// <summary>How a scope is named in a mail's subject and greeting: "NRW", "Kreis Lindenau", "Regierungsbezirk Köln".</summary>
public static class ScopeLabels
{
    public static async Task<string> ResolveAsync(NpgsqlDataSource db, SubscriptionScope scope, CancellationToken ct = default)
    {
        if (scope.Dimension == "nrw") return "NRW";
        await using var cmd = db.CreateCommand(scope.Dimension switch
        {
            "region" => "select 'Regierungsbezirk ' || name from regions where key = $1",
            // "Lindenau" (Kreis) -> "Kreis Lindenau"; "Auenburg, Stadt" (kreisfreie Stadt) -> "Stadt Auenburg"; Städteregion as named.
            "district" => """
                select case
                  when kind = 'Kreis' then 'Kreis ' || name
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
