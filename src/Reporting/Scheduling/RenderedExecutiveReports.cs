using Npgsql;
using Reporting.Delivery;
using Reporting.Reports;

namespace Reporting.Scheduling;

/// <summary>
/// The executive report of a subscription, made by the renderer: the dashboard of the subscription's scope for the
/// snapshot (workbook, charts, key figures), the first chart inline in the mail body.
/// </summary>
public sealed class RenderedExecutiveReports(DashboardRenderer renderer, NpgsqlDataSource db) : IExecutiveReportSource
{
    public const string ReportTitle = "Kennzahlenbericht";

    /// <summary>The chart shown in the mail body: cost per workstation against the reference value.</summary>
    public const string MailChart = "kosten-je-arbeitsplatz";

    public async Task<ExecutiveReport> BuildAsync(JobDefinition subscription, long snapshotId, CancellationToken ct)
    {
        var scope = subscription.ParsedScope;
        var d = await renderer.RenderAsync(snapshotId, scope, ct: ct);
        var chart = d.Charts.FirstOrDefault(c => c.Name == MailChart);
        if (chart.Png is null && d.Charts.Count > 0) chart = d.Charts[0];
        return new ExecutiveReport
        {
            ReportTitle = ReportTitle,
            ScopeLabel = await ScopeLabels.ResolveAsync(db, scope, ct),
            PeriodLabel = PeriodLabel(d.Period),
            SnapshotId = snapshotId,
            Period = d.Period,
            KeyFigures = d.KeyFigures.Select(k => new MailKeyFigure(k.Label, k.Value, k.Change, k.Light)).ToList(),
            ChartPng = chart.Png,
            ChartCaption = chart.Png is null ? "" : "IT-Kosten je Arbeitsplatz im Vergleich zum Referenzwert",
            Workbook = MailFile.Xlsx(d.WorkbookFileName, d.Workbook),
            Note = d.Provisional ? "Vorläufige Werte: noch nicht alle erwarteten Meldungen liegen vor." : "",
        };
    }

    /// <summary>"2025" stays, "2025-Q1" becomes "1. Quartal 2025", "2025-H2" "2. Halbjahr 2025".</summary>
    public static string PeriodLabel(string period) => period.Length == 7 && period[4] == '-'
        ? $"{period[6]}. {(period[5] == 'Q' ? "Quartal" : "Halbjahr")} {period[..4]}"
        : period;
}
