using ClosedXML.Excel;
using Reporting.Kpis;

namespace Reporting.Reports;

/// <summary>
/// The workbook's first sheet: one A4 landscape page. Key-figure tiles at the top (name, value, unit, change, light,
/// comparison) in two rows, and two charts drawn for this size side by side in one picture, so their smallest text
/// (11 px) prints at 8 pt or more. Excel measures columns in the workbook font's digit widths, LibreOffice without
/// Calibri in a wider fallback (up to 40 % wider): the tiles' columns are narrow enough to stay within the picture's
/// width either way, so the picture, in pixels (96 per inch), sets the page's width and the print scale stays 100 %.
/// </summary>
public static class DashboardSheet
{
    public const string Name = "Auf einen Blick";

    /// <summary>Tiles in a row, their width and the gap between them, in pixels of Calibri 11's columns.</summary>
    const int TilesPerRow = 4, TilePx = 176, GapPx = 12;

    /// <summary>
    /// Each chart's size (pixels at 100 %); the picture holds two and has twice the pixels, for print.
    /// </summary>
    public const int ChartWidthPx = 510, ChartHeightPx = 340, ChartGapPx = 20, ChartScale = 2;

    /// <summary>The row the charts' picture starts in.</summary>
    const int ChartRow = 18;

    /// <summary>Which charts say most for the scope, in order; the first two that fit the page are shown.</summary>
    static string[] Candidates(KpiScopeKind kind) => kind switch
    {
        KpiScopeKind.Provider => ["kosten-je-arbeitsplatz", "kostenentwicklung", "kostenstruktur",
            "konsolidierungspotenzial"],
        KpiScopeKind.District => ["kostenentwicklung", "kosten-je-arbeitsplatz", "ozg-online-quote", "kreis-karte"],
        _ => ["kreis-karte", "konsolidierungspotenzial", "kostenentwicklung", "ozg-online-quote"],
    };

    /// <summary>Bars or rows a chart may have to stay readable at the sheet's chart height.</summary>
    const int MaxRows = 15;

    /// <summary>Writes the sheet; returns the picture to add after saving (<see cref="WorkbookPictures"/>).</summary>
    public static List<SheetPicture> Write(IXLWorksheet ws, DashboardData data,
        IReadOnlyList<DashboardCharts.Chart> charts)
    {
        for (var i = 1; i <= 2 * TilesPerRow - 1; i++)
            ws.Column(i).Width = CharactersFor(i % 2 == 1 ? TilePx : GapPx);
        Text(ws.Cell(1, 1), $"IT-Dashboard – {data.ScopeLabel}");
        ws.Cell(1, 1).Style.Font.SetBold().Font.SetFontSize(16).Font.SetFontColor(Blue);
        ws.Row(1).Height = 24;
        Text(ws.Cell(2, 1), $"{data.StatusLine} · Snapshot {data.ShownId}");
        ws.Cell(2, 1).Style.Font.SetItalic().Font.SetFontSize(10).Font.SetFontColor(Grey);
        ws.Row(2).Height = 16;
        ws.Row(3).Height = 6;
        var entries = KeyFigures.Select(data);
        TileRow(ws, data, entries.Take(TilesPerRow), 4);
        ws.Row(10).Height = 6;
        TileRow(ws, data, entries.Skip(TilesPerRow).Take(TilesPerRow), 11);   // rows 11-16
        ws.Row(ChartRow - 1).Height = 8;

        var chosen = Candidates(data.Scope.Kind).Select(n => charts.FirstOrDefault(c => c.Name == n))
            .OfType<DashboardCharts.Chart>().Where(c => Fits(data, c)).Take(2).ToList();
        var lastRow = ChartRow + (int)Math.Ceiling(ChartHeightPx / 20.0);
        ws.PageSetup.PrintAreas.Clear();
        ws.PageSetup.PrintAreas.Add(1, 1, lastRow, 2 * TilesPerRow - 1);
        if (chosen.Count == 0) return [];
        var png = SideBySide(chosen.Select(c => (Title(c), SheetPng(c))).ToList());
        var width = chosen.Count * ChartWidthPx + (chosen.Count - 1) * ChartGapPx;
        return [new SheetPicture(string.Join("+", chosen.Select(c => c.Name)), png, ChartRow, 1, width,
            ChartHeightPx)];
    }

    /// <summary>Up to four key figures as tiles of six cells each, one column per tile.</summary>
    static void TileRow(IXLWorksheet ws, DashboardData data, IEnumerable<KeyFigures.Entry> entries, int top)
    {
        double[] heights = [25, 22, 13, 14, 14, 14];
        for (var r = 0; r < heights.Length; r++) ws.Row(top + r).Height = heights[r];
        var previous = GermanFormat.PreviousPeriod(data.Period);
        var col = 1;
        foreach (var e in entries)
        {
            var unit = e.Definition.Unit;
            var nrwValue = e.Value.Dimension == "nrw" && data.Scope.Kind != KpiScopeKind.Nrw;
            Text(ws.Cell(top, col), e.Definition.Name + (nrwValue ? " (NRW)" : ""));
            ws.Cell(top, col).Style.Font.SetBold().Font.SetFontColor(Blue);
            Num(ws.Cell(top + 1, col), e.Value.Value, ExecutiveWorkbook.German + GermanFormat.ExcelFormat(unit));
            ws.Cell(top + 1, col).Style.Font.SetBold().Font.SetFontSize(16);
            Text(ws.Cell(top + 2, col), UnitText(unit) + (e.Value.Provisional ? ", vorläufig" : ""));
            ws.Cell(top + 2, col).Style.Font.SetFontColor(Grey);
            var change = GermanFormat.ChangeValue(e.Value.Value, e.Value.Previous, unit);
            if (change is null) Text(ws.Cell(top + 3, col), "keine Vorperiode");
            else Num(ws.Cell(top + 3, col), change, ChangeFormat(unit, previous));
            Text(ws.Cell(top + 5, col), Comparison(data, e));
            ws.Cell(top + 5, col).Style.Font.SetFontColor(Grey);
            var tile = ws.Range(top, col, top + 5, col);
            tile.Style.Fill.BackgroundColor = Band;
            tile.Style.Alignment.WrapText = true;
            tile.Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
            tile.Style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
            ws.Range(top + 2, col, top + 5, col).Style.Font.FontSize = 9;
            ws.Cell(top, col).Style.Font.FontSize = 10;
            tile.Style.Border.OutsideBorder = XLBorderStyleValues.Thin;
            tile.Style.Border.OutsideBorderColor = XLColor.FromHtml("#B8C7D9");
            Light(ws.Cell(top + 4, col), e.Light);   // after the tile's band, which would paint over its colour
            col += 2;
        }
    }

    static void Light(IXLCell c, TrafficLight light)
    {
        Text(c, light == TrafficLight.None ? "ohne Ampel" : $"Ampel {KeyFigures.German(light)}");
        var fill = light switch { TrafficLight.Green => Green, TrafficLight.Yellow => Yellow,
            TrafficLight.Red => Red, _ => null };
        if (fill is null) { c.Style.Font.FontColor = Grey; return; }
        c.Style.Fill.BackgroundColor = fill;
        c.Style.Font.FontColor = light == TrafficLight.Yellow ? XLColor.Black : XLColor.White;
        c.Style.Font.Bold = true;
    }

    /// <summary>
    /// What the value stands beside: the NRW value where the scope may see it, else the catalogue's reference; a
    /// provider below the anonymity minimum is told why there is none.
    /// </summary>
    static string Comparison(DashboardData data, KeyFigures.Entry e)
    {
        var unit = e.Definition.Unit;
        var parts = new List<string>();
        if (data.Scope.Kind != KpiScopeKind.Nrw && e.Value.Dimension != "nrw"
            && data.One(e.Value.KpiId, "nrw", "NRW")?.Value is { } nrw)
            parts.Add($"NRW {GermanFormat.Value(nrw, unit)}");
        if (Briefing.Benchmark(data, e.Value.KpiId) is { } b)
            parts.Add($"Referenz {GermanFormat.Value(b.Value, unit)}");
        if (parts.Count > 0) return string.Join(" · ", parts);
        if (data.Scope.Kind == KpiScopeKind.Provider && !data.Values.Any(v => v.Dimension == "nrw"))
            return "NRW-Vergleich zurückgehalten";   // the anonymity rule
        return data.Scope.Kind == KpiScopeKind.Nrw ? "Nordrhein-Westfalen gesamt" : "ohne Vergleichswert";
    }

    /// <summary>"Euro je Arbeitsplatz" for "EUR je Arbeitsplatz"; shares are percent.</summary>
    public static string UnitText(string unit) => unit switch
    {
        "EUR" => "Euro",
        _ when unit.StartsWith("EUR ", StringComparison.Ordinal) => "Euro" + unit[3..],
        "Anteil" => "Anteil in %",
        _ => unit,
    };

    static string ChangeFormat(string unit, string? previous)
    {
        var since = previous is null ? " ggü. Vorperiode" : $" ggü. {previous}";
        return GermanFormat.IsRate(unit)
            ? ExecutiveWorkbook.German + $"\"↑ \"+0.0\" Pp.{since}\";\"↓ \"-0.0\" Pp.{since}\";\"→ \"0.0\" Pp.{since}\""
            : ExecutiveWorkbook.German + $"\"↑ \"+0.0%\"{since}\";\"↓ \"-0.0%\"{since}\";\"→ \"0.0%\"{since}\"";
    }

    /// <summary>Whether a chart is readable at the sheet's size: it has data and not too many rows.</summary>
    static bool Fits(DashboardData data, DashboardCharts.Chart c) => c.Name switch
    {
        "kreis-karte" => data.Boundaries.Count > 0 && data.Of("cost_per_inhabitant", "district").Any(v => v.Value
            is not null),
        "kostenentwicklung" => data.CostTrend.Count(p => p.TotalCost is not null) >= 2,
        "kosten-je-arbeitsplatz" => data.Of("cost_per_workstation", "provider").Count(v => v.Value is not null)
            is > 0 and <= MaxRows,
        "ozg-online-quote" => data.Of("ozg_online_rate", "district").Count(v => v.Value is not null)
            is > 0 and <= MaxRows,
        "kostenstruktur" => data.Of("cost_share_by_cost_type", "provider_cost_type").Any(v => v.Value is not null)
            && data.Of("cost_per_workstation", "provider").Count() <= MaxRows,
        "konsolidierungspotenzial" => data.Of("consolidation_potential", "service").Any(v => v.Value > 0),
        _ => false,
    };

    /// <summary>The chart's title without the status line (it heads the sheet) and without "Karte: ".</summary>
    static string Title(DashboardCharts.Chart c) => c.Title.Replace("Karte: ", "", StringComparison.Ordinal);

    /// <summary>
    /// The chart drawn for the sheet at twice the pixels, so the print is sharp. Its title is drawn above it, left
    /// aligned (ScottPlot centres it over the data area, which a narrow chart's long title overruns); a long axis
    /// label loses its addendum and wraps.
    /// </summary>
    static byte[] SheetPng(DashboardCharts.Chart c)
    {
        c.Plot.Axes.Title.Label.Text = "";
        var bottom = c.Plot.Axes.Bottom.Label;
        if (bottom.Text.IndexOf(" · ", StringComparison.Ordinal) is > 0 and var cut) bottom.Text = bottom.Text[..cut];
        bottom.Text = Wrap(bottom.Text, 45);
        bottom.FontSize = 12;
        // Names of bars shorter than at full width, so the data area and a legend below it keep their room.
        if (c.Plot.Axes.Left.TickGenerator is ScottPlot.TickGenerators.NumericManual names)
        {
            var ticks = names.Ticks.Where(t => t.IsMajor).ToArray();
            c.Plot.Axes.Left.SetTicks(ticks.Select(t => t.Position).ToArray(),
                ticks.Select(t => t.Label.Length <= 28 ? t.Label : t.Label[..27] + "…").ToArray());
        }
        c.Plot.Legend.FontSize = 11;
        foreach (var line in c.Plot.GetPlottables().OfType<ScottPlot.Plottables.VerticalLine>())
            if (line.LegendText.IndexOf(" (", StringComparison.Ordinal) is > 0 and var source)
                line.LegendText = line.LegendText[..source];   // the source is on the full-size chart and the sheet
        // Bar and point labels stand right of their bar or centred on their point: room for them at this width.
        var x = c.Plot.Axes.GetLimits();
        if (c.Name is "konsolidierungspotenzial" or "kosten-je-arbeitsplatz")
            c.Plot.Axes.SetLimitsX(x.Left, x.Right + (x.Right - x.Left) * .25);
        if (c.Name == "kostenentwicklung")
            c.Plot.Axes.SetLimitsX(x.Left - (x.Right - x.Left) * .12, x.Right + (x.Right - x.Left) * .12);
        c.Plot.ScaleFactor = ChartScale;
        try
        {
            return c.Plot.GetImageBytes(ChartWidthPx * ChartScale, (ChartHeightPx - TitlePx) * ChartScale,
                ScottPlot.ImageFormat.Png);
        }
        finally { c.Plot.ScaleFactor = 1; }
    }

    const int TitlePx = 24;

    static string Wrap(string s, int max)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in s.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > max) { lines.Add(line); line = word; }
            else line = line.Length == 0 ? word : line + " " + word;
        }
        lines.Add(line);
        return string.Join("\n", lines);
    }

    /// <summary>
    /// The charts side by side in one PNG, each under its title: one picture, placed without depending on column
    /// widths.
    /// </summary>
    static byte[] SideBySide(IReadOnlyList<(string Title, byte[] Png)> charts)
    {
        var w = ChartWidthPx * ChartScale;
        var gap = ChartGapPx * ChartScale;
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(charts.Count * w + (charts.Count - 1)
            * gap, ChartHeightPx * ChartScale));
        surface.Canvas.Clear(SkiaSharp.SKColors.White);
        using var typeface = SkiaSharp.SKTypeface.FromFamilyName("DejaVu Sans", SkiaSharp.SKFontStyle.Bold);
        using var font = new SkiaSharp.SKFont(typeface, 14 * ChartScale);
        using var paint = new SkiaSharp.SKPaint { Color = new SkiaSharp.SKColor(0x0B, 0x4F, 0x8A), IsAntialias = true };
        for (var i = 0; i < charts.Count; i++)
        {
            var x = i * (w + gap);
            surface.Canvas.DrawText(charts[i].Title, x + 8 * ChartScale, 17 * ChartScale, SkiaSharp.SKTextAlign.Left,
                font, paint);
            using var image = SkiaSharp.SKImage.FromEncodedData(charts[i].Png);
            surface.Canvas.DrawImage(image, x, TitlePx * ChartScale);
        }
        using var snapshot = surface.Snapshot();
        using var encoded = snapshot.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    /// <summary>The column width (characters) that Excel draws px pixels wide (Calibri 11, see ColumnPixels).</summary>
    static double CharactersFor(int px) => Math.Ceiling(px * 100 / 7.0) / 100;

    static readonly XLColor Blue = XLColor.FromHtml("#0B4F8A"), Grey = XLColor.FromHtml("#444444"),
        Band = XLColor.FromHtml("#EEF3F8"), Green = XLColor.FromHtml("#009E73"), Yellow = XLColor.FromHtml("#F0E442"),
        Red = XLColor.FromHtml("#D55E00");

    static void Text(IXLCell c, string s)
    {
        c.SetValue(s);
        c.DataType = XLDataType.Text;
    }

    static void Num(IXLCell c, decimal? v, string format)
    {
        if (v is { } x) c.SetValue(x);
        c.Style.NumberFormat.Format = format;
    }
}
