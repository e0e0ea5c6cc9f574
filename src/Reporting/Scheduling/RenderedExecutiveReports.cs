using Npgsql;
using Reporting.Delivery;
using Reporting.Kpis;
using Reporting.Reports;

namespace Reporting.Scheduling;

/// <summary>
/// The executive report of a subscription, made by the renderer: the dashboard of the subscription's scope for the
/// snapshot (workbook, key figures), the briefing's findings and two or three charts chosen for the scope, drawn
/// again at mail width.
/// </summary>
public sealed class RenderedExecutiveReports(DashboardRenderer renderer, NpgsqlDataSource db) : IExecutiveReportSource
{
    public const string ReportTitle = "Kennzahlenbericht";

    /// <summary>Pixel width of a chart in the mail body (the body is a 600 px table).</summary>
    public const int MailChartWidth = 576;
    const int MailNameLength = 26;

    public async Task<ExecutiveReport> BuildAsync(JobDefinition subscription, long snapshotId, CancellationToken ct)
    {
        var scope = subscription.ParsedScope;
        var data = await renderer.LoadAsync(snapshotId, scope, ct);
        var d = DashboardRenderer.Render(data);
        return new ExecutiveReport
        {
            ReportTitle = ReportTitle,
            ScopeLabel = await ScopeLabels.ResolveAsync(db, scope, ct),
            PeriodLabel = PeriodLabel(d.Period),
            SnapshotId = snapshotId,
            Period = d.Period,
            KeyFigures = d.KeyFigures.Select(k => new MailKeyFigure(k.Label, k.Value, k.Change, k.Light)).ToList(),
            Findings = Briefing.Findings(data),
            LightLegend = Briefing.LightLegend(data),
            DataStatus = Briefing.DataStatus(data),
            Charts = MailCharts(data),
            Workbook = MailFile.Xlsx(d.WorkbookFileName, d.Workbook),
        };
    }

    /// <summary>
    /// Two or three charts that say something for the scope: a district or provider sees its own development
    /// first; NRW and a region the spread across providers and districts. Charts without data are left out.
    /// </summary>
    const string OzgMap = "ozg-karte";

    public static IReadOnlyList<MailChart> MailCharts(DashboardData data)
    {
        string[] order = data.Scope.Kind switch
        {
            KpiScopeKind.Provider => ["kosten-je-arbeitsplatz", "kostenentwicklung", "kostenstruktur"],
            KpiScopeKind.District => ["kostenentwicklung", "kosten-je-arbeitsplatz", "ozg-online-quote"],
            _ => ["kosten-je-arbeitsplatz", OzgMap, "ozg-online-quote", "kostenentwicklung"],
        };
        var charts = DashboardCharts.Build(data).ToDictionary(c => c.Name);
        // Across NRW or a region, one bar per district is unreadable at mail width: the map says it at a glance.
        if (data.Scope.Kind is KpiScopeKind.Nrw or KpiScopeKind.Region && data.Boundaries.Count > 0
            && HasData(data, "ozg-online-quote"))
        {
            charts.Remove("ozg-online-quote");
            charts[OzgMap] = DistrictMap.Build(data, "ozg_online_rate", OzgMap, "Karte: OZG-Onlinequote nach Kreis");
        }
        return order.Where(n => charts.ContainsKey(n) && HasData(data, n)).Take(3)
            .Select(n => charts[n])
            .Select(c => new MailChart(c.Name, AtMailWidth(c), Caption(c.Name, data)))
            .ToList();
    }

    /// <summary>
    /// The chart at 576 px: its title keeps only the first line (scope and data status stand in the mail beside
    /// it and would be cut at this width); a two-point trend needs no full dashboard height.
    /// </summary>
    static byte[] AtMailWidth(DashboardCharts.Chart c)
    {
        var title = c.Plot.Axes.Title.Label.Text;
        if (title.Contains('\n')) c.Plot.Axes.Title.Label.Text = title[..title.IndexOf('\n')];
        if (c.Name == "kostenentwicklung")
        {
            // The point labels ("25,2 Mio. €") sit centred on the first and last point: room for them at 576 px.
            var x = c.Plot.Axes.GetLimits();
            var pad = Math.Max(x.Right - x.Left, 1) * .12;
            c.Plot.Axes.SetLimitsX(x.Left - pad, x.Right + pad);
        }
        // A chart taller than the dashboard's standard has one bar per provider or district: it keeps its height,
        // so the bars and their labels do not overlap at mail width.
        var height = c.Name == "kostenentwicklung" ? 340
            : c.Height > DashboardCharts.Height ? Math.Min(c.Height, 1000)
            : Math.Clamp(c.Height * 3 / 5, 300, 560);
        if (c.Plot.Axes.Left.TickGenerator is ScottPlot.TickGenerators.NumericManual)
        {
            // Long names on the left push the plot, its centred title and legend past the image's right edge.
            // A manual tick generator lists its names only once rendered.
            c.Plot.GetImageBytes(MailChartWidth, height, ScottPlot.ImageFormat.Png);
            var names = c.Plot.Axes.Left.TickGenerator.Ticks;
            if (names.Any(t => t.Label.Length > MailNameLength))
                c.Plot.Axes.Left.SetTicks(names.Select(t => t.Position).ToArray(), names.Select(t =>
                    t.Label.Length > MailNameLength ? t.Label[..(MailNameLength - 1)].TrimEnd() + "…" : t.Label)
                    .ToArray());
        }
        return c.Plot.GetImageBytes(MailChartWidth, height, ScottPlot.ImageFormat.Png);
    }

    static bool HasData(DashboardData data, string chart) => chart switch
    {
        "kostenentwicklung" => data.CostTrend.Count(p => p.TotalCost is not null) >= 2,
        "kosten-je-arbeitsplatz" => data.Values.Any(v => v.KpiId == "cost_per_workstation" && v.Value is not null),
        "ozg-online-quote" => data.Values.Any(v => v.KpiId == "ozg_online_rate" && v.Dimension == "district"
            && v.Value is not null),
        "kostenstruktur" => data.Values.Any(v => v.KpiId == "cost_share_by_cost_type" && v.Value is not null),
        _ => true,
    };

    static string Caption(string chart, DashboardData data) => chart switch
    {
        "kostenentwicklung" => $"IT-Gesamtkosten {data.ScopeLabel} über die Berichtszeiträume",
        "kosten-je-arbeitsplatz" => "IT-Kosten je Arbeitsplatz im Vergleich zum Referenzwert",
        "ozg-online-quote" => data.Scope.Kind == KpiScopeKind.District
            ? $"OZG-Onlinequote {data.ScopeLabel} im Vergleich mit NRW"
            : "OZG-Onlinequote nach Kreisen und kreisfreien Städten",
        "kostenstruktur" => "Kostenstruktur nach Kostenarten",
        OzgMap => "OZG-Onlinequote nach Kreisen und kreisfreien Städten (Karte)",
        _ => chart,
    };

    /// <summary>"2025" stays, "2025-Q1" becomes "1. Quartal 2025", "2025-H2" "2. Halbjahr 2025".</summary>
    public static string PeriodLabel(string period) => period.Length == 7 && period[4] == '-'
        ? $"{period[6]}. {(period[5] == 'Q' ? "Quartal" : "Halbjahr")} {period[..4]}"
        : period;
}
