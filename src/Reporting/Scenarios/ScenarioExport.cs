using System.Globalization;
using System.Text;
using Reporting.Kpis;

namespace Reporting.Scenarios;

/// <summary>A scenario result as JSON (every value of the scope) or as a table (the values that change).</summary>
public static class ScenarioExport
{
    public const int TableRows = 300;

    public static string ToJson(ScenarioResult result) => KpiExport.ToJson(result);

    public static string ToTable(ScenarioResult r, KpiCatalogue catalogue)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(string.Create(c, $"Szenario \"{r.Name}\", Zeitraum {r.Period}, Ausschnitt {r.Scope}, "));
        sb.AppendLine(string.Create(c,
            $"Ausgangsstand: KPI-Stand {r.BaselineSnapshotId}, berechnet in {r.Milliseconds} ms"));
        foreach (var change in r.Changes) sb.AppendLine("  " + change);
        if (r.Changes.Count == 0) sb.AppendLine("  keine Änderungen: das Szenario ist der Ausgangsstand");
        foreach (var e in r.Estimates)
        {
            sb.AppendLine($"{e.Estimate} ({e.Label}):");
            foreach (var a in e.Assumptions) sb.AppendLine("  - " + a);
        }
        var low = r.Estimates[0];
        var high = r.Estimates[^1];
        var changed = low.Values.Where(v => v.Baseline != v.Scenario
            || high.Find(v.Kpi, v.Dimension, v.Slice) is { } h && h.Baseline != h.Scenario).ToList();
        sb.AppendLine();
        sb.AppendLine(string.Create(c, $"{changed.Count} of {low.Values.Count} values change")
            + (changed.Count > TableRows ? $" (first {TableRows} shown; --format json gives all)" : ""));
        sb.AppendLine(string.Create(c,
            $"{"kpi",-28} {"dimension",-16} {"slice",-22} {"baseline",16} {"low",16} {"Δ low",9} ")
            + string.Create(c, $"{"high",16} {"Δ high",9}"));
        foreach (var v in changed.Take(TableRows))
        {
            var h = high.Find(v.Kpi, v.Dimension, v.Slice);
            sb.Append(string.Create(c,
                $"{Cut(v.Kpi, 28),-28} {Cut(v.Dimension, 16),-16} {Cut(v.Slice, 22),-22} {Num(v.Baseline),16} "));
            sb.AppendLine(string.Create(c,
                $"{Num(v.Scenario),16} {Pct(v.DeltaRelative),9} {Num(h?.Scenario),16} {Pct(h?.DeltaRelative),9}"));
        }
        _ = catalogue;
        return sb.ToString();
    }

    static string Cut(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    static string Num(decimal? v) => v is { } x ? Math.Round(x, 2).ToString("0.##", CultureInfo.InvariantCulture) : "-";

    static string Pct(decimal? v) => v is { } x
        ? (x * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%" : "-";
}
