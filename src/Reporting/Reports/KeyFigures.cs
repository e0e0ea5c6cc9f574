using Reporting.Kpis;
namespace Reporting.Reports;

/// <summary>
/// The headline KPIs of a dashboard with their traffic lights, for the overview tiles and the mail body.
/// </summary>
public static class KeyFigures
{
    static readonly string[] Headline =
        ["total_cost", "cost_per_workstation", "cost_per_inhabitant", "ozg_online_rate", "ozg_compliant_rate",
            "consolidation_potential", "returns_completeness"];

    public sealed record Entry(DashboardValue Value, KpiDefinition Definition, TrafficLight Light);

    public static IReadOnlyList<Entry> Select(DashboardData data) =>
        Headline.Select(id => data.Headline(id) is { } v ? Make(v, data.Definition(id)) : null)
            .OfType<Entry>().ToList();

    static Entry Make(DashboardValue v, KpiDefinition def) => new(v, def, Light(def, v));

    public static IReadOnlyList<KeyFigure> Format(DashboardData data) =>
        Select(data).Select(e => new KeyFigure(e.Value.KpiId,
            e.Definition.Name + (e.Value.Dimension == "nrw" && data.Scope.Kind != KpiScopeKind.Nrw ? " (NRW)" : ""),
            GermanFormat.Value(e.Value.Value, e.Definition.Unit) + (e.Value.Provisional ? " (vorläufig)" : ""),
            ChangeText(data, e), e.Light)).ToList();

    /// <summary>
    /// "↑ +13,8 Pp. ggü. 2024": direction, size in the unit's terms, and the period compared with.
    /// </summary>
    static string ChangeText(DashboardData data, Entry e)
    {
        var change = GermanFormat.Change(e.Value.Value, e.Value.Previous, e.Definition.Unit);
        if (change == "–") return change;
        var previous = GermanFormat.PreviousPeriod(data.Period) is { } p ? $"ggü. {p}" : "ggü. Vorperiode";
        return $"{GermanFormat.Trend(e.Value.Value, e.Value.Previous)} {change} {previous}";
    }

    /// <summary>
    /// One meaning: the level against the catalogue's thresholds in the catalogue's direction. A KPI without
    /// thresholds has no light; which way it moved is the trend arrow, not a colour.
    /// </summary>
    public static TrafficLight Light(KpiDefinition def, DashboardValue v) => def.TrafficLight(v.Value) switch
    {
        "green" => TrafficLight.Green,
        "amber" => TrafficLight.Yellow,
        "red" => TrafficLight.Red,
        _ => TrafficLight.None,
    };

    public static string German(TrafficLight l) => l switch
    {
        TrafficLight.Green => "grün", TrafficLight.Yellow => "gelb", TrafficLight.Red => "rot", _ => "–",
    };
}
