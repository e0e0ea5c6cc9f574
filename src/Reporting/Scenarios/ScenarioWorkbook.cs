using ClosedXML.Excel;
using Reporting.Kpis;
using Reporting.Reports;
using ScottPlot;

namespace Reporting.Scenarios;

/// <summary>
/// The scenario as a workbook: one sheet "Szenario" with the changes, each estimate's assumptions, the total cost
/// per provider before and after as a chart (a ScottPlot PNG put in with <see cref="WorkbookPictures"/>, no
/// libgdiplus) and every value that changes with its deltas. Column widths are set (AdjustToContents needs
/// libgdiplus).
/// </summary>
public static class ScenarioWorkbook
{
    public const string SheetName = "Szenario";
    const int MaxRows = 5000;

    public static async Task WriteAsync(ScenarioResult result, KpiCatalogue catalogue, string path,
        CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllBytesAsync(path, Build(result, catalogue), ct);
    }

    public static byte[] Build(ScenarioResult r, KpiCatalogue catalogue)
    {
        using var wb = new XLWorkbook();
        wb.Author = "Reporting NRW";
        var ws = wb.AddWorksheet(SheetName);
        var row = 1;
        Text(ws.Cell(row, 1), $"Szenario „{r.Name}“ – Zeitraum {r.Period}");
        ws.Cell(row, 1).Style.Font.Bold = true;
        ws.Cell(row, 1).Style.Font.FontSize = 16;
        row++;
        Text(ws.Cell(row++, 1), $"Ausschnitt {r.Scope}; Ausgangsstand: KPI-Stand {r.BaselineSnapshotId} "
            + "(angenommene Meldungen); das Szenario ändert keine gespeicherte Meldung.");
        row++;
        Heading(ws.Cell(row++, 1), "Änderungen");
        foreach (var c in r.Changes) Line(ws, row++, c);
        if (r.Changes.Count == 0) Text(ws.Cell(row++, 1), "keine – das Szenario ist der Ausgangsstand");
        foreach (var e in r.Estimates)
        {
            row++;
            Heading(ws.Cell(row++, 1), $"Annahmen – {e.Label} ({e.Estimate})");
            foreach (var a in e.Assumptions) Line(ws, row++, "• " + a);
        }

        row++;
        var chartRow = row;
        var png = CostChart(r);
        var (w, h) = WorkbookPictures.PngSize(png);
        row += (int)Math.Ceiling(h / 20.0) + 2;

        var low = r.Estimates[0];
        var high = r.Estimates[^1];
        var changed = low.Values.Where(v => v.Baseline != v.Scenario
            || high.Find(v.Kpi, v.Dimension, v.Slice) is { } x && x.Baseline != x.Scenario).Take(MaxRows).ToList();
        Heading(ws.Cell(row++, 1), $"Veränderte Werte ({changed.Count})");
        string[] header = ["Kennzahl", "Dimension", "Ausprägung", "Einheit", "Ausgangsstand", "Niedrig",
            "Δ niedrig", "Δ niedrig %", "Hoch", "Δ hoch", "Δ hoch %"];
        for (var i = 0; i < header.Length; i++) Text(ws.Cell(row, i + 1), header[i]);
        var head = ws.Range(row, 1, row, header.Length);
        head.Style.Font.Bold = true;
        head.Style.Font.FontColor = XLColor.White;
        head.Style.Fill.BackgroundColor = XLColor.FromHtml("#0B4F8A");
        var first = ++row;
        foreach (var v in changed)
        {
            var k = catalogue.Kpis.FirstOrDefault(x => x.Id == v.Kpi);
            var hi = high.Find(v.Kpi, v.Dimension, v.Slice);
            var format = GermanFormat.ExcelFormat(k?.Unit ?? "");
            Text(ws.Cell(row, 1), k?.Name ?? v.Kpi);
            Text(ws.Cell(row, 2), v.Dimension);
            Text(ws.Cell(row, 3), v.Label);
            Text(ws.Cell(row, 4), k?.Unit ?? "");
            Num(ws.Cell(row, 5), v.Baseline, format);
            Num(ws.Cell(row, 6), v.Scenario, format);
            Num(ws.Cell(row, 7), v.Delta, format);
            Num(ws.Cell(row, 8), v.DeltaRelative, "[$-407]+0.0%;-0.0%;0.0%");
            Num(ws.Cell(row, 9), hi?.Scenario, format);
            Num(ws.Cell(row, 10), hi?.Delta, format);
            Num(ws.Cell(row, 11), hi?.DeltaRelative, "[$-407]+0.0%;-0.0%;0.0%");
            row++;
        }
        if (row > first) ws.Range(first, 1, row - 1, header.Length).Style.Alignment.Vertical =
            XLAlignmentVerticalValues.Top;
        ws.SheetView.FreezeRows(0);
        double[] widths = [38, 16, 36, 10, 18, 18, 16, 11, 18, 16, 11];
        for (var i = 0; i < widths.Length; i++) ws.Column(i + 1).Width = widths[i];
        ws.PageSetup.PaperSize = XLPaperSize.A4Paper;
        ws.PageSetup.PageOrientation = XLPageOrientation.Landscape;
        ws.PageSetup.FitToPages(1, 0);

        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        return WorkbookPictures.Add(ms.ToArray(), SheetName,
            [new SheetPicture("Kosten je Dienstleister", png, chartRow, 1, w, h)]);
    }

    /// <summary>Total cost per provider: baseline, low and high estimate, grouped.</summary>
    public static byte[] CostChart(ScenarioResult r)
    {
        DashboardCharts.EnsureFonts();
        var low = r.Estimates[0];
        var high = r.Estimates[^1];
        var providers = low.Values.Where(v => v.Kpi == "total_cost" && v.Dimension == "provider")
            .OrderByDescending(v => v.Baseline ?? v.Scenario ?? 0).ToList();
        var plt = new Plot();
        plt.Font.Set("DejaVu Sans");
        plt.Title($"IT-Gesamtkosten je Dienstleister vorher und nachher\n{r.Name} · {r.Period}", size: 15);
        Color[] colors = [Color.FromHex("#8C8C8C"), Color.FromHex("#0072B2"), Color.FromHex("#D55E00")];
        string[] names = ["Ausgangsstand", "Szenario niedrig", "Szenario hoch"];
        var bars = new List<Bar>();
        for (var i = 0; i < providers.Count; i++)
        {
            var p = providers[i];
            decimal?[] values = [p.Baseline, p.Scenario, high.Find(p.Kpi, p.Dimension, p.Slice)?.Scenario];
            for (var j = 0; j < 3; j++)
                bars.Add(new Bar { Position = i * 4 + j, Value = (double)(values[j] ?? 0), FillColor = colors[j],
                    LineWidth = 0 });
        }
        plt.Add.Bars(bars);
        for (var j = 0; j < 3; j++) plt.Legend.ManualItems.Add(new LegendItem { LabelText = names[j],
            FillColor = colors[j] });
        plt.ShowLegend(Alignment.UpperRight);
        plt.Axes.Bottom.SetTicks(providers.Select((_, i) => i * 4 + 1.0).ToArray(),
            providers.Select(p => p.Slice).ToArray());
        plt.Axes.Bottom.TickLabelStyle.Rotation = providers.Count > 8 ? 45 : 0;
        plt.Axes.Bottom.TickLabelStyle.Alignment = providers.Count > 8 ? Alignment.MiddleLeft
            : Alignment.UpperCenter;
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            { LabelFormatter = GermanFormat.EuroShort };
        plt.Axes.Margins(bottom: 0);
        var width = Math.Clamp(160 + providers.Count * 40, 700, 1400);
        return plt.GetImageBytes(width, 420, ImageFormat.Png);
    }

    /// <summary>A sentence across the table's width, wrapped (the row grows when the workbook is opened).</summary>
    static void Line(IXLWorksheet ws, int row, string s)
    {
        Text(ws.Cell(row, 1), s);
        var range = ws.Range(row, 1, row, 11);
        range.Merge();
        range.Style.Alignment.WrapText = true;
        range.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        // Merged cells do not grow by themselves: about 190 characters fit on a line of the table's width.
        ws.Row(row).Height = 15 * Math.Max(1, Math.Ceiling(s.Length / 190.0));
    }

    static void Heading(IXLCell c, string s)
    {
        Text(c, s);
        c.Style.Font.Bold = true;
        c.Style.Font.FontColor = XLColor.FromHtml("#0B4F8A");
    }

    static void Text(IXLCell c, string s)
    {
        c.SetValue(s);
        c.DataType = XLDataType.Text;
    }

    static void Num(IXLCell c, decimal? v, string format)
    {
        if (v is not { } x) { Text(c, "–"); return; }
        c.SetValue(x);
        c.Style.NumberFormat.Format = format;
    }
}
