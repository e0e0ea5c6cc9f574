using System.Globalization;
using Npgsql;

namespace Reporting.Ingestion;

/// <summary>
/// Layer 7: figures that are valid on their own but implausible against the provider's history. Only warnings:
/// a provider may have good reasons (a data-centre move), but someone should look.
/// </summary>
public static class Plausibility
{
    static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static async Task CheckAsync(NpgsqlConnection conn, string provider, string period, ParsedReturn parsed,
        decimal maxChange, CancellationToken ct)
    {
        var workstations = parsed.Streamed?.Workstations ?? parsed.Supply.Sum(s => (long)s.Workstations);
        if (workstations == 0) return;
        var current = (parsed.Streamed?.CostTotal ?? parsed.Costs.Sum(c => c.Amount)) / workstations;

        // The provider's latest accepted return of an earlier period.
        await using var cmd = new NpgsqlCommand("""
            select v.period,
                   (select sum(amount) from cost_facts where return_version_id = v.id)
                     / nullif((select sum(workstations) from supply_facts where return_version_id = v.id), 0)
            from current_versions v
            where v.provider_code = $1 and v.period < $2
            order by v.period desc limit 1
            """, conn);
        cmd.Parameters.Add(new() { Value = provider });
        cmd.Parameters.Add(new() { Value = period });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct) || r.IsDBNull(1)) return;
        var (previousPeriod, previous) = (r.GetString(0), r.GetDecimal(1));
        if (previous == 0) return;

        var change = current / previous - 1;
        if (Math.Abs(change) <= maxChange) return;
        parsed.Messages.Add(new(Severity.Warning, "Kosten", "", current.ToString("N2", German),
            "L7-Kosten-je-Arbeitsplatz",
            $"Die Kosten je Arbeitsplatz ({current.ToString("C", German)}) weichen um "
                + $"{change.ToString("+0.0 %;-0.0 %", German)} von der " +
            $"letzten angenommenen Meldung ab (Zeitraum {previousPeriod}: {previous.ToString("C", German)}). Bitte "
                + $"prüfen Sie Kosten und Arbeitsplätze."));
    }
}
