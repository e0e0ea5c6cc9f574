using Reporting.Kpis;
using Reporting.Reports;
using KpiValue = Reporting.Reports.DashboardValue;

namespace Reporting.Tests.Reports;

/// <summary>The words and lights of a dashboard state what the catalogue computes.</summary>
public sealed class DashboardWordsTests
{
    static readonly KpiCatalogue Catalogue = KpiCatalogue.LoadEmbedded();

    static KpiValue V(string kpi, string dim, string key, decimal? value, decimal? previous = null,
        decimal? denominator = null) =>
        new(kpi, dim, key, key, null, null, value, null, denominator, previous, 1m, false);

    static DashboardData Data(params KpiValue[] values) => new()
    {
        SnapshotId = 1, Period = "2025", CreatedAt = DateTimeOffset.UnixEpoch, Completeness = 1, Provisional = false,
        ReturnsExpected = 1, ReturnsReceived = 1, Scope = KpiScope.Nrw, ScopeLabel = "Nordrhein-Westfalen",
        Values = values, Definitions = DashboardData.DefinitionsOf(Catalogue),
    };

    static TrafficLight LightOf(DashboardData data, string kpi)
        => KeyFigures.Select(data).Single(e => e.Value.KpiId == kpi).Light;

    [Fact]
    public void A_cost_per_workstation_below_the_catalogues_amber_limit_is_amber_not_red()
    {
        // Catalogue: green up to 3100, amber up to 3720 (lower is better).
        Assert.Equal(TrafficLight.Yellow,
            LightOf(Data(V("cost_per_workstation", "nrw", "NRW", 3600m)), "cost_per_workstation"));
    }

    [Fact]
    public void A_value_below_the_green_threshold_of_a_lower_is_better_KPI_is_green_even_when_it_rose()
    {
        var data = Data(V("cost_per_workstation", "nrw", "NRW", 3000m, previous: 2000m));
        Assert.Equal(TrafficLight.Green, LightOf(data, "cost_per_workstation"));
    }

    [Fact]
    public void A_KPI_without_thresholds_gets_no_light_whatever_its_trend()
    {
        Assert.Null(Catalogue["cost_per_inhabitant"].Thresholds);
        var data = Data(V("cost_per_inhabitant", "nrw", "NRW", 38m, previous: 30m));
        Assert.Equal(TrafficLight.None, LightOf(data, "cost_per_inhabitant"));
    }

    [Fact]
    public void The_consolidation_chart_names_the_catalogues_benchmark_quantile()
    {
        var data = Data(V("consolidation_potential", "service", "S1", 1000m),
            V("consolidation_potential", "nrw", "NRW", 1000m));
        var label = DashboardCharts.Consolidation(data).Plot.Axes.Bottom.Label.Text;
        Assert.Contains("unteres Quartil", label);
        Assert.DoesNotContain("Median", label);
    }

    [Fact]
    public void The_scale_trend_line_stays_within_the_data_range_and_never_below_zero()
    {
        // Steeply falling costs: a straight or log-linear fit would cross zero at the largest volume.
        (decimal X, decimal Y)[] pts = [(10, 3000), (100, 400), (1000, 100), (2000, 100), (5000, 90)];
        var data = Data(pts.Select((p, i)
            => V("unit_cost", "provider_service", $"P{i}|S", p.Y, denominator: p.X)).ToArray());
        var line = DashboardCharts.EconomiesOfScale(data).Plot.GetPlottables()
            .OfType<ScottPlot.Plottables.Scatter>().Single(s
                => s.LegendText.StartsWith("Trend", StringComparison.Ordinal));
        var drawn = line.Data.GetScatterPoints();
        Assert.NotEmpty(drawn);
        Assert.All(drawn, p => Assert.InRange(p.X, 10, 5000));
        Assert.All(drawn, p => Assert.True(p.Y >= 0, $"fitted y {p.Y} at x {p.X}"));
    }

    [Fact]
    public void The_scale_legend_states_the_model_and_only_the_figures_of_the_line_drawn()
    {
        (decimal X, decimal Y)[] pts = [(10, 2000), (100, 1000), (1000, 500)];
        var data = Data([.. pts.Select((p, i) => V("unit_cost", "provider_service", $"P{i}|S", p.Y, denominator: p.X)),
            V("scale_slope", "nrw", "NRW", 0.42m)]);
        var legend = DashboardCharts.EconomiesOfScale(data).Plot.GetPlottables()
            .OfType<ScottPlot.Plottables.Scatter>().Single(s
                => s.LegendText.StartsWith("Trend", StringComparison.Ordinal)).LegendText;
        Assert.DoesNotContain("0,42", legend);
        Assert.Contains("R²", legend);
    }
}
