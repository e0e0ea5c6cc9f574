using Reporting.Kpis;
namespace Reporting.Reports;

/// <summary>
/// The sentences an executive reads first: generated from the scoped snapshot and the catalogue. A comparison with
/// NRW appears only where the scope may see the NRW value (SnapshotReader withholds it below the anonymity minimum);
/// an NRW figure is always named as such, never as the scope's own.
/// </summary>
public static class Briefing
{
    /// <summary>The KPIs a finding may speak of: amounts and rates with a meaning for an executive.</summary>
    static readonly string[] Candidates =
        ["total_cost", "cost_per_workstation", "cost_per_inhabitant", "ozg_online_rate", "ozg_compliant_rate"];

    public static IReadOnlyList<string> Findings(DashboardData data)
    {
        var findings = new List<string>();
        if (Gap(data) is { } gap) findings.Add(gap);
        if (LargestChange(data) is { } change) findings.Add(change);
        findings.Add(Completeness(data));
        findings.Add(ProvisionalText(data));
        if (Lights(data) is { } lights) findings.Add(lights);
        return findings;
    }

    /// <summary>The scope's own value of a KPI; for NRW the NRW value is its own.</summary>
    public static DashboardValue? Own(DashboardData data, string kpiId) =>
        data.One(kpiId, data.Scope.OwnDimension, data.Scope.OwnSliceKey);

    /// <summary>
    /// The gap as a number in display terms: percentage points for rates, a relative share for amounts.
    /// </summary>
    public static decimal? GapValue(decimal value, decimal other, string unit) =>
        GermanFormat.ChangeValue(value, other, unit);

    /// <summary>"12,3 %" or "4,2 Pp." without sign: the size of a gap.</summary>
    public static string GapText(decimal value, decimal other, string unit) =>
        GermanFormat.Change(value, other, unit).TrimStart('+', '−', '±');

    static string? Gap(DashboardData data)
    {
        var gaps = new List<(decimal Rank, string Text)>();
        foreach (var id in Candidates.Where(i => i != "total_cost"))
        {
            if (Own(data, id) is not { Value: { } own } || data.Definitions.GetValueOrDefault(id) is not { } def)
                continue;
            if (data.Scope.Kind != KpiScopeKind.Nrw && data.One(id, "nrw", "NRW") is { Value: { } nrw } && nrw != 0)
                gaps.Add((Math.Abs((own - nrw) / nrw), $"{def.Name} ({data.ScopeLabel}): {Fmt(own, def)}, "
                    + $"{GapText(own, nrw, def.Unit)} {Side(own, nrw)} dem NRW-Wert von {Fmt(nrw, def)}."));
            if (Benchmark(data, id) is { } b && b.Value != 0)
                gaps.Add((Math.Abs((own - b.Value) / b.Value), $"{def.Name} ({data.ScopeLabel}): {Fmt(own, def)}, "
                    + $"{GapText(own, b.Value, def.Unit)} {Side(own, b.Value)} dem Referenzwert von "
                    + $"{Fmt(b.Value, def)} ({b.Source})."));
        }
        return gaps.Count == 0 ? null : gaps.MaxBy(g => g.Rank).Text;
    }

    /// <summary>The benchmark of a KPI: the configured one for cost per workstation, else the catalogue's.</summary>
    public static (decimal Value, string Source)? Benchmark(DashboardData data, string kpiId)
    {
        if (kpiId == "cost_per_workstation") return (data.BenchmarkCostPerWorkstation, data.BenchmarkSource);
        return data.Definitions.GetValueOrDefault(kpiId)?.Reference is { Value: { } v } r
            ? (v, ReferenceOrigin(r)) : null;
    }

    /// <summary>
    /// Where a catalogue reference comes from, as a reader wants it in brackets: the origin named in its title
    /// ("… (Beispiel Kaarst, Kunde ITK Rheinland)"); not the source's method ("abgeleitet (eigene Division)") or its
    /// address. No year: every number of a finding must be a figure of the scope's snapshot.
    /// </summary>
    public static string ReferenceOrigin(KpiReference r)
    {
        var open = r.Name.IndexOf(" (", StringComparison.Ordinal);
        return open > 0 && r.Name.EndsWith(')') ? r.Name[(open + 2)..^1] : r.Name;
    }

    static string Side(decimal value, decimal other) => value > other ? "über" : value < other ? "unter" : "gleich";

    static string? LargestChange(DashboardData data)
    {
        var changed = Candidates.Select(id => Own(data, id))
            .Where(v => v is { Value: not null, Previous: not null } && v.RelativeChange is not null).ToList();
        if (changed.Count == 0) return null;
        var v = changed.MaxBy(x => Math.Abs(x!.RelativeChange!.Value))!;
        var def = data.Definition(v.KpiId);
        var previous = GermanFormat.PreviousPeriod(data.Period) ?? "der Vorperiode";
        return $"Größte Veränderung ggü. {previous}: {def.Name} ({data.ScopeLabel}) "
            + $"{GermanFormat.Change(v.Value, v.Previous, def.Unit)} auf {Fmt(v.Value!.Value, def)} "
            + $"(zuvor {Fmt(v.Previous!.Value, def)}).";
    }

    static string Completeness(DashboardData data) =>
        data is { ReturnsExpected: { } expected, ReturnsReceived: { } received, Completeness: { } c }
            ? $"Datenstand {GermanFormat.Date(data.CreatedAt)}: landesweit liegen {received} von {expected} "
                + $"erwarteten Meldungen vor ({GermanFormat.Percent(c)})."
            : $"Datenstand {GermanFormat.Date(data.CreatedAt)}; die landesweite Vollständigkeit wird für diesen "
                + "Empfängerkreis nicht ausgewiesen (Anonymitätsregel).";

    static string ProvisionalText(DashboardData data)
    {
        if (!data.Provisional)
            return $"Die Werte für {data.Period} sind endgültig: alle erwarteten Meldungen sind angenommen.";
        var missing = data is { ReturnsExpected: { } e, ReturnsReceived: { } r } && e > r
            ? $"; es fehlen noch {e - r} Meldungen" : "";
        return $"Die Werte für {data.Period} sind vorläufig{missing}. Sie können sich mit weiteren Meldungen ändern.";
    }

    static string? Lights(DashboardData data)
    {
        var entries = KeyFigures.Select(data)
            .Where(e => e.Light is TrafficLight.Red or TrafficLight.Yellow && IsOwn(data, e.Value)).ToList();
        if (entries.Count == 0) return null;
        return "Ampel: " + string.Join("; ", entries.Select(e => $"{e.Definition.Name} "
            + $"{KeyFigures.German(e.Light)} ({Fmt(e.Value.Value!.Value, e.Definition)})")) + ".";
    }

    static bool IsOwn(DashboardData data, DashboardValue v) =>
        v.Dimension == data.Scope.OwnDimension && v.SliceKey == data.Scope.OwnSliceKey;

    static string Fmt(decimal v, KpiDefinition def) => GermanFormat.Value(v, def.Unit);

    /// <summary>
    /// What the lights mean, per KPI from the catalogue's thresholds: "grün bis 3.100 €, gelb bis 3.720 €, rot
    /// darüber".
    /// </summary>
    public static IReadOnlyList<string> LightLegend(DashboardData data) =>
        KeyFigures.Select(data).Where(e => e.Definition.Thresholds is not null)
            .Select(e => e.Definition).DistinctBy(d => d.Id).Select(d => Legend(d)).ToList();

    static string Legend(KpiDefinition d)
    {
        var t = d.Thresholds!;
        var (g, a) = (GermanFormat.Value(t.Green, d.Unit), GermanFormat.Value(t.Amber, d.Unit));
        return d.Direction == "lower"
            ? $"{d.Name}: grün bis {g}, gelb bis {a}, rot darüber"
            : $"{d.Name}: grün ab {g}, gelb ab {a}, rot darunter";
    }

    /// <summary>"Datenstand 28.11.2026 · Snapshot 12 · 24 von 30 Meldungen (80,0 %) · vorläufig".</summary>
    public static string DataStatus(DashboardData data) =>
        $"Datenstand {GermanFormat.Date(data.CreatedAt)} · Snapshot {data.ShownId}"
        + (data is { ReturnsExpected: { } e, ReturnsReceived: { } r, Completeness: { } c }
            ? $" · {r} von {e} Meldungen ({GermanFormat.Percent(c)})" : "")
        + (data.Provisional ? " · vorläufig" : " · endgültig");
}
