using ClosedXML.Excel;
using Reporting.Kpis;
using Reporting.Reports;
using KpiValue = Reporting.Reports.DashboardValue;

namespace Reporting.Tests.Reports;

/// <summary>Small scopes' charts and sheets pick a form that fits their item count and say what is withheld.</summary>
public sealed class SmallScopeChartsTests
{
    static readonly KpiCatalogue Catalogue = KpiCatalogue.LoadEmbedded();

    static KpiValue V(string kpi, string dim, string key, decimal? value) =>
        new(kpi, dim, key, key, null, null, value, null, null, null, 1m, false);

    static DashboardData Data(KpiScope scope, IEnumerable<KpiValue> values,
        IEnumerable<MunicipalityInfo>? places = null, IEnumerable<OzgHeatCell>? heat = null,
        decimal? quantile = null, IEnumerable<TrendPoint>? trend = null) => new()
    {
        CostTrend = trend?.ToList() ?? [],
        SnapshotId = 1, Period = "2025", CreatedAt = DateTimeOffset.UnixEpoch, Completeness = 1, Provisional = false,
        ReturnsExpected = 1, ReturnsReceived = 1, Scope = scope, ScopeLabel = "Ausschnitt",
        Values = values.ToList(), Definitions = DashboardData.DefinitionsOf(Catalogue),
        Municipalities = places?.ToList() ?? [], OzgHeat = heat?.ToList() ?? [], BenchmarkQuantile = quantile,
    };

    /// <summary>The tick labels as drawn (ScottPlot fills the ticks when it renders).</summary>
    static IReadOnlyList<string> TickLabels(DashboardCharts.Chart chart, ScottPlot.IAxis axis)
    {
        _ = chart.Png();
        return axis.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label).ToList();
    }

    static IReadOnlyList<string> BarLabels(DashboardCharts.Chart chart) => TickLabels(chart, chart.Plot.Axes.Left);

    [Fact]
    public void One_provider_of_a_district_stands_beside_the_labelled_NRW_comparison_not_alone()
    {
        var data = Data(KpiScope.District("05870"),
            [V("cost_per_workstation", "provider", "KDZA", 3500m), V("cost_per_workstation", "nrw", "NRW", 3300m)]);
        var chart = DashboardCharts.CostPerWorkstation(data);
        Assert.Equal(["KDZA", "NRW-Vergleich"], BarLabels(chart).Order(StringComparer.Ordinal));
        Assert.True(chart.Height < DashboardCharts.Height, $"height {chart.Height}: two bars need no full-size plot");
    }

    [Fact]
    public void A_provider_below_the_anonymity_minimum_gets_its_bar_and_no_NRW_comparison()
    {
        var data = Data(KpiScope.Provider("KDZA"), [V("cost_per_workstation", "provider", "KDZA", 3500m)]);
        var chart = DashboardCharts.CostPerWorkstation(data);
        var label = chart.Plot.Axes.Bottom.Label.Text;
        Assert.Equal(["KDZA"], BarLabels(chart));
        Assert.Contains("nicht ausgewiesen (Anonymitätsregel)", label, StringComparison.Ordinal);
    }

    [Fact]
    public void A_providers_OZG_charts_say_why_they_are_withheld_instead_of_no_data()
    {
        var data = Data(KpiScope.Provider("KDZA"), [V("cost_per_workstation", "provider", "KDZA", 3500m)]);
        var charts = DashboardCharts.Build(data).Where(c => c.Name is "ozg-online-quote" or "ozg-heatmap").ToList();

        Assert.Equal(2, charts.Count);
        foreach (var c in charts)
        {
            var svg = System.Net.WebUtility.HtmlDecode(c.Svg());
            Assert.DoesNotContain("Keine Daten", svg, StringComparison.Ordinal);
            Assert.Contains("Vergleich zurückgehalten: weniger als 5 Anbieter", svg, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_last_tick_label_of_a_bar_charts_value_axis_has_room_on_the_right()
    {
        var data = Data(KpiScope.Nrw, [V("consolidation_potential", "service", "A", 864_000m),
            V("consolidation_potential", "service", "B", 498_000m)]);
        var chart = DashboardCharts.Consolidation(data);
        _ = chart.Png();

        Assert.True(chart.Plot.Axes.Right.MinimumSize >= 40);
    }

    [Fact]
    public void A_city_of_one_municipality_gets_a_key_figure_not_a_one_dot_map()
    {
        var city = new MunicipalityInfo("05811000", "Auenburg, Stadt", "05811", "Auenburg, Stadt", 248310, 7.25, 51.33);
        var data = Data(KpiScope.District("05811"), [V("ozg_online_rate", "municipality", "05811000", 0.554m)], [city]);
        var chart = DashboardCharts.MunicipalityMap(data);
        Assert.Empty(chart.Plot.GetPlottables().OfType<ScottPlot.Plottables.Markers>());
        Assert.Contains("55,4 %", chart.Svg(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_period_gets_its_figure_and_a_note_instead_of_a_lone_dot_on_a_trend_axis()
    {
        var data = Data(KpiScope.District("05870"), [], trend: [new TrendPoint("2025", 1, 8_847_833m, false)]);
        var chart = DashboardCharts.CostTrend(data);
        Assert.Empty(chart.Plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>());
        Assert.Contains("ab dem zweiten Berichtszeitraum", chart.Svg(), StringComparison.Ordinal);
    }

    [Fact]
    public void Many_services_are_cut_to_the_largest_and_one_bar_of_the_rest()
    {
        var values = Enumerable.Range(1, 25).Select(i => V("consolidation_potential", "service", $"S{i:00}", 1000m * i))
            .Append(V("consolidation_potential", "nrw", "NRW", 325_000m));
        var chart = DashboardCharts.Consolidation(Data(KpiScope.Nrw, values));
        var labels = BarLabels(chart);
        Assert.Equal(DashboardCharts.MaxBars, labels.Count);
        Assert.Contains(labels, l => l.StartsWith("übrige (11 Leistungen)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_heat_map_has_no_empty_NRW_column_when_the_NRW_aggregate_is_withheld()
    {
        var heat = new[] { new OzgHeatCell("Familie & Kind", "05870", "Lindenau", 0.5m, 4) };
        var chart = DashboardCharts.OzgHeatMap(Data(KpiScope.Provider("KDZA"), [], heat: heat));
        var columns = TickLabels(chart, chart.Plot.Axes.Bottom);
        Assert.Equal(["Lindenau"], columns);
        Assert.DoesNotContain(columns, l => l.Contains("NRW", StringComparison.Ordinal));
    }

    [Fact]
    public void The_OZG_sheet_says_the_NRW_row_is_withheld_instead_of_leaving_it_empty()
    {
        var heat = new[] { new OzgHeatCell("Familie & Kind", "05870", "Lindenau", 0.5m, 4) };
        var bytes = ExecutiveWorkbook.Build(Data(KpiScope.Provider("KDZA"), [], heat: heat), []);
        using var wb = new XLWorkbook(new MemoryStream(bytes));
        var nrwRow = wb.Worksheet("OZG").RowsUsed().Single(r => r.Cell(1).GetString() == "NRW");
        Assert.Equal("nicht ausgewiesen (Anonymitätsregel)", nrwRow.Cell(3).GetString());
    }

    [Fact]
    public void The_provider_sheet_says_the_NRW_row_is_withheld_instead_of_leaving_it_empty()
    {
        var bytes = ExecutiveWorkbook.Build(Data(KpiScope.Provider("KDZA"),
            [V("total_cost", "provider", "KDZA", 1_000_000m)]), []);
        using var wb = new XLWorkbook(new MemoryStream(bytes));
        var nrwRow = wb.Worksheet("Dienstleister").RowsUsed().Single(r => r.Cell(1).GetString() == "NRW");
        Assert.Equal("nicht ausgewiesen (Anonymitätsregel)", nrwRow.Cell(3).GetString());
    }

    [Fact]
    public void Map_labels_of_neighbouring_municipalities_do_not_sit_on_top_of_each_other()
    {
        MunicipalityInfo M(string ags, string name, double lon, double lat) =>
            new(ags, name, "05870", "Lindenau", 10_000, lon, lat);
        var places = new[]
        {
            M("05870004", "Lindenau, Stadt", 7.00, 51.40), M("05870008", "Wiesenau, Stadt", 7.02, 51.41),
            M("05870012", "Eichenrode", 6.50, 51.90), M("05870016", "Großheide", 7.50, 51.00),
        };
        var chart = DashboardCharts.MunicipalityMap(Data(KpiScope.District("05870"), [], places));
        var texts = chart.Plot.GetPlottables().OfType<ScottPlot.Plottables.Text>()
            .Where(t => t.LabelText is "Lindenau, Stadt" or "Wiesenau, Stadt").ToList();
        Assert.False(texts.Count == 2 && texts[0].LabelAlignment == texts[1].LabelAlignment,
            "two neighbours' names drawn in the same position relative to markers 0.02° apart");
    }

    [Fact]
    public void The_consolidation_label_names_a_configured_benchmark_quantile_override()
    {
        var data = Data(KpiScope.Nrw, [V("consolidation_potential", "service", "S1", 1000m)], quantile: 0.5m);
        var label = DashboardCharts.Consolidation(data).Plot.Axes.Bottom.Label.Text;
        Assert.Contains("Median", label, StringComparison.Ordinal);
        Assert.DoesNotContain("Quartil", label, StringComparison.Ordinal);
    }
}
