using System.Text;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Ingestion;

/// <summary>
/// Deterministic, plausible provider returns: the same seed gives the same facts. Costs follow workstations
/// (about 3,000 EUR per workstation and year, a provider-specific factor of 0.8-1.25 spreads providers), the
/// stated total is the sum of the cost lines, OZG maturity rises from one period to the next.
/// Positions (sheet, cell, row) are those the writer uses, so a read-back can be compared fact by fact.
/// </summary>
public static class DemoReturnGenerator
{
    public sealed record Generated(ReturnCover Cover, List<CostLine> Costs, List<SupplyLine> Supply, List<OzgLine> Ozg,
        int DuplicateOzgRows);

    // Share of the total cost per service (the rest is spread evenly); Arbeitsplatz-IT and the data centre dominate.
    static readonly Dictionary<string, double> ServiceWeight = new()
    {
        ["ARB"] = 20, ["RZB"] = 12, ["NET"] = 8, ["TEL"] = 4, ["MAI"] = 4, ["SEC"] = 4, ["SUP"] = 7, ["SCH"] = 6,
        ["FIN"] = 4, ["PER"] = 3, ["EWO"] = 2.5, ["DMS"] = 3, ["POR"] = 3, ["SOZ"] = 2.5, ["JUG"] = 2,
    };
    static readonly double[] CostTypeShare = [0.45, 0.15, 0.20, 0.12, 0.08];
    static readonly string[] CoreServices = ["ARB", "MAI", "SUP", "NET", "TEL", "FIN", "EWO", "POR", "SEC"];

    public static Generated Generate(DemoReturnReference reference, DemoReturnReference.Provider provider,
        string period, int seed, int? rows = null)
    {
        var catalog = reference.Catalog;
        var rng = new Random(StableHash($"{seed}|{provider.Code}|{period}"));
        var providerRng = new Random(StableHash($"{seed}|{provider.Code}"));   // the same across periods
        var factor = 0.8 + providerRng.NextDouble() * 0.45;
        var year = int.Parse(period[..4], System.Globalization.CultureInfo.InvariantCulture);
        var growth = Math.Pow(1.04, year - 2024);

        // Workstations per municipality: about one per 90 inhabitants.
        // The municipality's own factor stays across periods; a small drift per period keeps consecutive returns
        // comparable.
        var workstations = provider.Municipalities.ToDictionary(a => a, a
            => (int)Math.Round(reference.Population[a] / 90.0
            * (0.85 + new Random(StableHash($"{seed}|{a}")).NextDouble() * 0.3) * (0.98 + rng.NextDouble() * 0.04)));
        var totalWs = workstations.Values.Sum();
        var totalCost = totalWs * 3000.0 * factor * growth;

        // Kosten: one row per service in catalogue order, one column per cost type (as the template writes them).
        var services = catalog.Services.Keys.ToList();
        var weights = services.ToDictionary(s => s, s
            => ServiceWeight.GetValueOrDefault(s, 0.8) * (0.8 + rng.NextDouble() * 0.4));
        var weightSum = weights.Values.Sum();
        var costs = new List<CostLine>();
        for (var i = 0; i < services.Count; i++)
        {
            var serviceCost = totalCost * weights[services[i]] / weightSum;
            for (var t = 0; t < catalog.CostTypes.Count; t++)
            {
                var share = CostTypeShare[Math.Min(t, CostTypeShare.Length - 1)] * (0.85 + rng.NextDouble() * 0.3);
                var amount = decimal.Round((decimal)(serviceCost * share), 2);
                costs.Add(new CostLine(services[i], catalog.CostTypes[t].Code, amount, L.CostSheet,
                    CellValues.A1(2 + t, L.FirstDataRow + i)));
            }
        }
        var stated = costs.Sum(c => c.Amount);

        // Versorgung: core services everywhere, others for about half the municipalities.
        var supply = new List<SupplyLine>();
        var chargeable = (double)stated * 0.92;
        var row = L.FirstDataRow;
        var lines = new List<(string Ags, string Service, int Ws)>();
        foreach (var ags in provider.Municipalities)
            foreach (var s in services)
            {
                // Which services a municipality takes is stable across periods.
                if (!CoreServices.Contains(s)
                    && new Random(StableHash($"{seed}|{ags}|{s}")).NextDouble() > 0.5) continue;
                var ws = s == "ARB"
                    ? workstations[ags] : (int)Math.Round(workstations[ags] * (0.05 + rng.NextDouble() * 0.6));
                lines.Add((ags, s, Math.Max(1, ws)));
            }
        var wsSum = lines.Sum(l => (double)l.Ws);
        foreach (var (ags, s, ws) in lines)
            supply.Add(new SupplyLine(ags, s, ws, (int)Math.Round(ws * (1.0 + rng.NextDouble() * 0.3)),
                decimal.Round((decimal)(chargeable * ws / wsSum), 2), L.SupplySheet, row++));

        // OZG: every municipality x OZG service; with rows, as many rows as asked (keys repeat past the key space).
        var ozgIds = catalog.OzgServices.Keys.ToList();
        var keySpace = provider.Municipalities.Count * ozgIds.Count;
        var ozgRows = rows is { } n ? Math.Max(0, n - supply.Count) : keySpace;
        var ozg = new List<OzgLine>(ozgRows);
        var periodEnd = new DateOnly(year, 12, 31);
        for (var i = 0; i < ozgRows; i++)
        {
            var k = i % keySpace;
            var ags = provider.Municipalities[k / ozgIds.Count];
            var id = ozgIds[k % ozgIds.Count];
            // Maturity: a per-(municipality, service) base that rises by period, so 2025 is ahead of 2024.
            var keyRng = new Random(StableHash($"{seed}|{ags}|{id}"));
            var basis = keyRng.NextDouble() * 3.2 + (year - 2024) * 0.5 + rng.NextDouble() * 0.3;
            var maturity = (short)Math.Clamp((int)basis, 0, 4);
            DateOnly? since = maturity >= 2 ? new DateOnly(2019, 1,
                1).AddDays(keyRng.Next(0, periodEnd.DayNumber - new DateOnly(2019, 1, 1).DayNumber)) : null;
            ozg.Add(new OzgLine(ags, id, maturity, keyRng.NextDouble() < 0.3, since, L.OzgSheet, L.FirstDataRow + i));
        }

        var cover = new ReturnCover(provider.Code, provider.Name, period,
            $"Meldestelle {provider.Name}, meldung@{provider.Code.ToLowerInvariant()}.example",
            decimal.Round((decimal)(totalWs / 55.0 * (0.9 + rng.NextDouble() * 0.2)), 1), stated, L.Version);
        return new Generated(cover, costs, supply, ozg, Math.Max(0, ozgRows - keySpace));
    }

    /// <summary>FNV-1a: string.GetHashCode differs between processes, a seed must not.</summary>
    static int StableHash(string s)
    {
        var h = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(s)) h = (h ^ b) * 16777619u;
        return (int)(h & 0x7FFFFFFF);
    }
}
