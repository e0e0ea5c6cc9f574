using Reporting.Kpis;
namespace Reporting.Reports;

/// <summary>The headline KPIs of a dashboard with their traffic lights, for the overview tiles and the mail body.</summary>
public static class KeyFigures
{
    static readonly string[] Headline =
        ["total_cost", "cost_per_workstation", "cost_per_inhabitant", "ozg_online_rate", "ozg_compliant_rate", "consolidation_potential", "returns_completeness"];

    public sealed record Entry(KpiValue Value, KpiDefinition Definition, TrafficLight Light);

    public static IReadOnlyList<Entry> Select(DashboardData data) =>
        Headline.Select(id => data.Headline(id) is { } v ? new Entry(v, Def(data, id), Light(Def(data, id), v)) : null)
            .OfType<Entry>().ToList();

    public static IReadOnlyList<KeyFigure> Format(DashboardData data) =>
        Select(data).Select(e => new KeyFigure(e.Value.KpiId,
            e.Definition.Name + (e.Value.Dimension == "nrw" && data.Scope.Kind != KpiScopeKind.Nrw ? " (NRW)" : ""),
            GermanFormat.Value(e.Value.Value, e.Definition.Unit) + (e.Value.Provisional ? " (vorläufig)" : ""),
            GermanFormat.Change(e.Value.Change), e.Light)).ToList();

    static KpiDefinition Def(DashboardData data, string id)
    {
        var d = data.Definition(id);
        // The reference value for cost per workstation is the imported one when there is one (amber up to 15 % above it).
        return id == "cost_per_workstation" ? d with { Thresholds = new(data.BenchmarkCostPerWorkstation, data.BenchmarkCostPerWorkstation * 1.15m) } : d;
    }

    /// <summary>Thresholds where the catalogue has them; otherwise the direction of the change (more than 5 % worse: red).</summary>
    public static TrafficLight Light(KpiDefinition def, KpiValue v)
    {
        if (v.Value is null || def.Direction is not ("higher" or "lower")) return TrafficLight.None;
        if (def.TrafficLight(v.Value) is { } light)
            return light switch { "green" => TrafficLight.Green, "amber" => TrafficLight.Yellow, _ => TrafficLight.Red };
        var better = def.Direction == "higher" ? 1 : -1;
        if (v.Change is not { } c) return TrafficLight.None;
        return better * c >= 0 ? TrafficLight.Green : better * c < -0.05m ? TrafficLight.Red : TrafficLight.Yellow;
    }

    public static string German(TrafficLight l) => l switch
    {
        TrafficLight.Green => "grün", TrafficLight.Yellow => "gelb", TrafficLight.Red => "rot", _ => "–",
    };
}
