namespace Reporting.Reports;

/// <summary>
/// German names and definitions of the KPIs. FALLBACK: the KPI engine (issue #4) brings the real catalogue in
/// data/kpis/; until it is merged, the dashboards use this list. Replace <see cref="Fallback"/> by the catalogue
/// reader when it lands; the renderer only needs id -> <see cref="KpiDefinition"/>.
/// </summary>
public static class KpiCatalogue
{
    const string Eur = "EUR", Share = "Anteil", Count = "Anzahl", Ratio = "Verhältnis";
    static KpiDefinition D(string id, string name, string def, string unit, KpiDirection dir = KpiDirection.Neutral, decimal? green = null, decimal? red = null)
        => new(id, name, def, unit, dir, green, red);

    public static IReadOnlyDictionary<string, KpiDefinition> Fallback { get; } = new[]
    {
        D("total_cost", "IT-Gesamtkosten", "Summe aller gemeldeten Kosten über Leistungen und Kostenarten.", Eur),
        D("cost_per_workstation", "IT-Kosten je Arbeitsplatz", "IT-Gesamtkosten / Anzahl IT-Arbeitsplätze; Vergleichswert KGSt 3.100 € je Jahr.", Eur, KpiDirection.LowerIsBetter, 3100m, 3565m),
        D("cost_per_user", "IT-Kosten je Nutzer", "IT-Gesamtkosten / Anzahl IT-Nutzer; Vergleichswert KGSt 3.700 € je Jahr.", Eur, KpiDirection.LowerIsBetter, 3700m, 4255m),
        D("cost_per_inhabitant", "IT-Kosten je Einwohner", "IT-Gesamtkosten / Einwohner der versorgten Kommunen.", Eur, KpiDirection.LowerIsBetter),
        D("cost_share_by_cost_type", "Kostenanteil je Kostenart", "Kosten der Kostenart / IT-Gesamtkosten.", Share),
        D("cost_share_by_service", "Kostenanteil je Leistung", "Kosten der Leistung / IT-Gesamtkosten.", Share),
        D("workstations_per_fte", "Arbeitsplätze je IT-Vollzeitkraft", "Betreute IT-Arbeitsplätze / Vollzeitäquivalente des Dienstleisters.", Ratio, KpiDirection.HigherIsBetter),
        D("charges_per_workstation", "Entgelte je Arbeitsplatz", "Von der Kommune gezahlte Entgelte / IT-Arbeitsplätze der Kommune.", Eur, KpiDirection.LowerIsBetter),
        D("unit_cost", "Stückkosten", "Kosten der Leistung beim Dienstleister / versorgte Arbeitsplätze.", Eur, KpiDirection.LowerIsBetter),
        D("unit_cost_min", "Stückkosten Minimum", "Kleinste Stückkosten der Leistung über alle Dienstleister.", Eur),
        D("unit_cost_q1", "Stückkosten 1. Quartil", "Unteres Quartil der Stückkosten der Leistung.", Eur),
        D("unit_cost_median", "Stückkosten Median", "Median der Stückkosten der Leistung.", Eur),
        D("unit_cost_q3", "Stückkosten 3. Quartil", "Oberes Quartil der Stückkosten der Leistung.", Eur),
        D("unit_cost_max", "Stückkosten Maximum", "Größte Stückkosten der Leistung über alle Dienstleister.", Eur),
        D("ozg_online_rate", "OZG-Online-Quote", "Anteil der OZG-Leistungen mit Reifegrad 2 oder höher.", Share, KpiDirection.HigherIsBetter, 0.75m, 0.40m),
        D("ozg_compliant_rate", "OZG-Konformität", "Anteil der OZG-Leistungen mit Reifegrad 3 oder höher.", Share, KpiDirection.HigherIsBetter, 0.50m, 0.20m),
        D("ozg_area_coverage", "OZG-Flächendeckung", "Anteil der Kommunen, in denen die OZG-Leistung online ist.", Share, KpiDirection.HigherIsBetter),
        D("service_coverage_municipalities", "Versorgte Kommunen", "Anteil der Kommunen, die die Leistung beziehen.", Share),
        D("service_coverage_inhabitants", "Versorgte Einwohner", "Anteil der Einwohner in Kommunen, die die Leistung beziehen.", Share),
        D("providers_per_municipality", "Dienstleister je Kommune", "Anzahl der Dienstleister, die eine Kommune versorgen.", Count, KpiDirection.LowerIsBetter),
        D("providers_per_service", "Anbieter je Leistung", "Anzahl der Dienstleister, die die Leistung erbringen.", Count, KpiDirection.LowerIsBetter),
        D("hhi_workstations", "Marktkonzentration (HHI)", "Herfindahl-Hirschman-Index der Arbeitsplatzanteile je Leistung (0 bis 10.000).", Count),
        D("consolidation_potential", "Konsolidierungspotenzial", "Einsparung je Jahr, wenn Stückkosten über dem Median auf den Median sinken.", Eur),
        D("scale_slope", "Skaleneffekt (Steigung)", "Steigung der Regression Stückkosten gegen Volumen.", Ratio),
        D("scale_r2", "Skaleneffekt (Bestimmtheitsmaß)", "R² der Regression Stückkosten gegen Volumen.", Ratio),
        D("returns_expected", "Erwartete Meldungen", "Anzahl der Dienstleister, die für den Zeitraum melden sollen.", Count),
        D("returns_received", "Eingegangene Meldungen", "Anzahl der angenommenen Meldungen.", Count),
        D("returns_completeness", "Meldequote", "Eingegangene / erwartete Meldungen.", Share, KpiDirection.HigherIsBetter, 0.95m, 0.80m),
        D("municipalities_covered_share", "Abgedeckte Kommunen", "Anteil der Kommunen, für die Meldungen vorliegen.", Share, KpiDirection.HigherIsBetter, 0.95m, 0.80m),
        D("inhabitants_covered_share", "Abgedeckte Einwohner", "Anteil der Einwohner in Kommunen, für die Meldungen vorliegen.", Share, KpiDirection.HigherIsBetter, 0.95m, 0.80m),
    }.ToDictionary(d => d.Id);
}
