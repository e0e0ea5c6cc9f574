using Reporting.Kpis;
using ClosedXML.Excel;
using Reporting.Uploads;

namespace Reporting.Reports;

/// <summary>
/// The executive workbook (ClosedXML): a one-page dashboard (<see cref="DashboardSheet"/>), the key figures with
/// the key charts, providers, municipalities, services and
/// consolidation, OZG, data status, definitions. Numbers stay numbers with real formats; text from providers is
/// always written as text, never as a formula. Column widths are set here, not by AdjustToContents, and the charts
/// go in after saving (<see cref="WorkbookPictures"/>): both would load libgdiplus through ClosedXML 0.95.4.
/// </summary>
public static class ExecutiveWorkbook
{
    public static readonly string[] SheetNames = [DashboardSheet.Name, "Übersicht", "Dienstleister", "Kommunen",
        "Leistungen und Konsolidierung", "OZG", "Datenstand", "Definitionen"];

    // [$-407]: the format's locale is German, so LibreOffice shows 1.234 € and 12,3 % whatever its own locale;
    // Excel shows the user's separators (German on German machines).
    public const string German = "[$-407]";
    public const string EuroFormat = German + "#,##0 \"€\"";
    const string CentFormat = German + "#,##0.00 \"€\"";
    const string PercentFormat = German + "0.0%";
    const string ChangeFormat = German + "+0.0%;-0.0%;0.0%";
    // Key figures: the arrow is the direction of the change; rates change in percentage points, amounts in percent.
    const string TrendChangeFormat = German + "\"↑ \"+0.0%;\"↓ \"-0.0%;\"→ \"0.0%";
    const string PointsChangeFormat = German + "\"↑ \"+0.0\" Pp.\";\"↓ \"-0.0\" Pp.\";\"→ \"0.0\" Pp.\"";
    const string CountFormat = German + "#,##0";
    const string DecimalFormat = German + "#,##0.0";
    // Unambiguous in every locale; a locale prefix would hide that it is a date.
    const string DateTimeFormat = "dd.mm.yyyy hh:mm";

    /// <param name="plots">The charts behind <paramref name="charts"/>, drawn again at the dashboard's size (built
    /// here when not given).</param>
    public static byte[] Build(DashboardData data, IReadOnlyList<(string Name, byte[] Png)> charts,
        IReadOnlyList<DashboardCharts.Chart>? plots = null)
    {
        using var wb = new XLWorkbook();
        wb.Author = "Reporting NRW";
        var dashboard = DashboardSheet.Write(wb.AddWorksheet(SheetNames[0]), data,
            plots ?? DashboardCharts.Build(data));
        var pictures = Overview(wb.AddWorksheet(SheetNames[1]), data, charts);
        Providers(wb.AddWorksheet(SheetNames[2]), data);
        Municipalities(wb.AddWorksheet(SheetNames[3]), data);
        Services(wb.AddWorksheet(SheetNames[4]), data);
        Ozg(wb.AddWorksheet(SheetNames[5]), data);
        Status(wb.AddWorksheet(SheetNames[6]), data);
        Definitions(wb.AddWorksheet(SheetNames[7]), data);
        foreach (var ws in wb.Worksheets) PrintSetup(ws, data);
        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        var withDashboard = WorkbookPictures.Add(ms.ToArray(), SheetNames[0], dashboard);
        return WorkbookPictures.Add(withDashboard, SheetNames[1], pictures);
    }

    // ---- the workbook's styles, used everywhere so the sheets look alike ----
    static class Style
    {
        public static readonly XLColor Blue = XLColor.FromHtml("#0B4F8A");
        public static readonly XLColor Band = XLColor.FromHtml("#EEF3F8");
        public static readonly XLColor Green = XLColor.FromHtml("#009E73"), Yellow = XLColor.FromHtml("#F0E442"),
            Red = XLColor.FromHtml("#D55E00");

        public static void Title(
            IXLCell c) { c.Style.Font.Bold = true; c.Style.Font.FontSize = 16; c.Style.Font.FontColor = Blue; }
        public static void Subtitle(
            IXLCell c) { c.Style.Font.Italic = true; c.Style.Font.FontColor = XLColor.FromHtml("#444444"); }
        public static void Header(IXLRange r)
        {
            r.Style.Font.Bold = true;
            r.Style.Font.FontColor = XLColor.White;
            r.Style.Fill.BackgroundColor = Blue;
            r.Style.Alignment.WrapText = true;
            r.Style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
        }
        public static void Total(IXLRange r)
        {
            r.Style.Font.Bold = true;
            r.Style.Border.TopBorder = XLBorderStyleValues.Thin;
            r.Style.Fill.BackgroundColor = Band;
        }
    }

    /// <summary>Text from providers and data: a name like "=HYPERLINK(..)" stays a name.</summary>
    static void Text(IXLCell c, string? s)
    {
        c.SetValue(s ?? "");
        c.DataType = XLDataType.Text;
    }

    static void Num(IXLCell c, decimal? v, string format)
    {
        if (v is { } x) c.SetValue(x);
        c.Style.NumberFormat.Format = format;
    }

    static void Headers(IXLWorksheet ws, int row, params (string Title, double Width)[] cols)
    {
        for (var i = 0; i < cols.Length; i++)
        {
            Text(ws.Cell(row, i + 1), cols[i].Title);
            ws.Column(i + 1).Width = cols[i].Width;
        }
        Style.Header(ws.Range(row, 1, row, cols.Length));
        ws.Row(row).Height = 45;
    }

    static void Heading(IXLWorksheet ws, DashboardData data, string title)
    {
        Text(ws.Cell(1, 1), $"{title} – {data.ScopeLabel}");
        Style.Title(ws.Cell(1, 1));
        Text(ws.Cell(2, 1), $"{data.StatusLine} · Snapshot {data.ShownId}");
        Style.Subtitle(ws.Cell(2, 1));
    }

    /// <summary>Header row frozen, auto-filter over the table, columns wide enough for their text.</summary>
    static void Table(IXLWorksheet ws, int headerRow, int lastRow, int lastCol)
    {
        FitText(ws, headerRow + 1, lastRow, lastCol);
        FitRows(ws, headerRow + 1, lastRow, lastCol);
        ws.SheetView.FreezeRows(headerRow);
        if (lastRow > headerRow) ws.Range(headerRow, 1, lastRow, lastCol).SetAutoFilter();
        // Header row on every printed page. Not PageSetup.SetRowsToRepeatAtTop: 0.95.4 writes "Sheet!4:4" without $,
        // which LibreOffice ignores; the defined name with an absolute reference works in both.
        ws.NamedRanges.Add("_xlnm.Print_Titles", $"'{ws.Name.Replace("'", "''")}'!${headerRow}:${headerRow}");
    }

    const double MaxColumnWidth = 60;

    /// <summary>
    /// Our own measure of a text's width in Excel's character units: one per character plus padding (Calibri's
    /// letters are on average narrower than its digit width, so this errs on the wide side). No font metrics, so
    /// no System.Drawing.
    /// </summary>
    public static double TextWidth(string text) => text.Length + 2;

    /// <summary>
    /// Widens a table's columns to their longest unwrapped text, up to <see cref="MaxColumnWidth"/>; longer text
    /// wraps. The widths set with the headers are the minimum.
    /// </summary>
    static void FitText(IXLWorksheet ws, int firstRow, int lastRow, int lastCol)
    {
        if (lastRow < firstRow) return;
        for (var col = 1; col <= lastCol; col++)
        {
            var column = ws.Column(col);
            var cells = ws.Range(firstRow, col, lastRow, col)
                .CellsUsed(c => c.DataType == XLDataType.Text && !c.Style.Alignment.WrapText).ToList();
            var needed = cells.Select(c => TextWidth(c.GetString())).DefaultIfEmpty(0).Max();
            if (needed > column.Width) column.Width = Math.Min(needed, MaxColumnWidth);
            foreach (var cell in cells.Where(c => TextWidth(c.GetString()) > column.Width))
                cell.Style.Alignment.WrapText = true;
        }
    }

    /// <summary>Points per line of wrapped text: Calibri 11 needs 15, LibreOffice's fallback font less.</summary>
    const double LinePoints = 15;

    /// <summary>
    /// Rows as tall as their longest wrapped text, by our own measure (a line holds the column's width in characters
    /// minus the padding), so wrapped lines never overlap the next row in Excel or LibreOffice.
    /// </summary>
    static void FitRows(IXLWorksheet ws, int firstRow, int lastRow, int lastCol)
    {
        for (var r = firstRow; r <= lastRow; r++)
        {
            var lines = 1;
            for (var c = 1; c <= lastCol; c++)
            {
                var cell = ws.Cell(r, c);
                if (cell.Style.Alignment.WrapText && cell.DataType == XLDataType.Text)
                    lines = Math.Max(lines, Lines(cell.GetString(), ws.Column(c).Width));
            }
            if (lines > 1) ws.Row(r).Height = lines * LinePoints;
        }
    }

    /// <summary>Lines a wrapped text takes in a column w characters wide.</summary>
    public static int Lines(string text, double width) =>
        text.Split('\n').Sum(p => Math.Max(1, (int)Math.Ceiling(TextWidth(p) / Math.Max(1, width - 2))));

    static void PrintSetup(IXLWorksheet ws, DashboardData data)
    {
        var p = ws.PageSetup;
        p.PaperSize = XLPaperSize.A4Paper;
        p.PageOrientation = XLPageOrientation.Landscape;
        // The dashboard is one page, laid out for 100 % (fitting is the safety net); the rest runs on, one page wide.
        if (ws.Name == SheetNames[0]) p.FitToPages(1, 1); else p.FitToPages(1, 0);
        p.Margins.Left = p.Margins.Right = 0.4;
        p.Margins.Top = p.Margins.Bottom = ws.Name == SheetNames[0] ? 0.5 : 0.9;
        p.Margins.Header = p.Margins.Footer = ws.Name == SheetNames[0] ? 0.2 : 0.3;
        p.Header.Left.AddText(Escape($"IT-Dashboard {data.ScopeLabel}"), XLHFOccurrence.AllPages);
        p.Header.Right.AddText(Escape($"Zeitraum {data.Period}" + (data.Provisional ? " (vorläufig)" : "")),
            XLHFOccurrence.AllPages);
        p.Footer.Left.AddText(
            Escape($"Snapshot {data.ShownId} · Datenstand {GermanFormat.Date(data.CreatedAt)} · {ws.Name}"),
                XLHFOccurrence.AllPages);
        p.Footer.Right.AddText("Seite ", XLHFOccurrence.AllPages);
        p.Footer.Right.AddText(XLHFPredefinedText.PageNumber, XLHFOccurrence.AllPages);
        p.Footer.Right.AddText(" von ", XLHFOccurrence.AllPages);
        p.Footer.Right.AddText(XLHFPredefinedText.NumberOfPages, XLHFOccurrence.AllPages);
    }

    static string Escape(string headerText) => headerText.Replace("&", "&&");

    /// <summary>The key figures as tiles; returns where the key charts go (added after saving).</summary>
    static List<SheetPicture> Overview(IXLWorksheet ws, DashboardData data,
        IReadOnlyList<(string Name, byte[] Png)> charts)
    {
        Heading(ws, data, "IT-Dashboard");
        const int h = 4;
        var previous = GermanFormat.PreviousPeriod(data.Period);
        Headers(ws, h, ("Kennzahl", 44), ("Wert", 18),
            (previous is null ? "Vorperiode" : $"Vorperiode ({previous})", 18),
            (previous is null ? "Veränderung ggü. Vorperiode" : $"Veränderung ggü. {previous}", 18), ("Ampel", 10),
            ("Bezug", 26));
        var row = h;
        foreach (var e in KeyFigures.Select(data))
        {
            row++;
            var unit = e.Definition.Unit;
            Text(ws.Cell(row, 1), e.Definition.Name);
            Num(ws.Cell(row, 2), e.Value.Value, German + GermanFormat.ExcelFormat(unit));
            Num(ws.Cell(row, 3), e.Value.Previous, German + GermanFormat.ExcelFormat(unit));
            Num(ws.Cell(row, 4), GermanFormat.ChangeValue(e.Value.Value, e.Value.Previous, unit),
                GermanFormat.IsRate(unit) ? PointsChangeFormat : TrendChangeFormat);
            Text(ws.Cell(row, 5), KeyFigures.German(e.Light));
            var fill = e.Light switch { TrafficLight.Green => Style.Green, TrafficLight.Yellow => Style.Yellow,
                TrafficLight.Red => Style.Red, _ => null };
            if (fill is not null)
            {
                ws.Cell(row, 5).Style.Fill.BackgroundColor = fill;
                ws.Cell(row, 5).Style.Font.FontColor = e.Light == TrafficLight.Yellow ? XLColor.Black : XLColor.White;
                ws.Cell(row, 5).Style.Font.Bold = true;
            }
            ws.Cell(row, 5).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
            Text(ws.Cell(row, 6), e.Value.Dimension == "nrw" ? "Nordrhein-Westfalen" : e.Value.SliceLabel);
            ws.Cell(row, 6).Style.Alignment.Indent = 1;
            ws.Row(row).Height = 22;
        }
        ws.Range(h + 1, 1, Math.Max(row, h + 1), 6).Style.Font.FontSize = 12;
        ws.SheetView.FreezeRows(h);

        // The key charts below the table, one a row at full size: the page is as wide as a chart, so its text
        // prints at about 95 % (the dashboard sheet shows two of them again, drawn for its size). Rows of 15 pt are
        // 20 px.
        string[] key = ["kosten-je-arbeitsplatz", "ozg-online-quote", "kostenentwicklung", "konsolidierungspotenzial"];
        var placed = new List<SheetPicture>();
        var top = row + 2;
        foreach (var (name, png) in key.Select(k => charts.FirstOrDefault(c => c.Name == k))
                     .Where(c => c.Png is not null))
        {
            var (w, hgt) = WorkbookPictures.PngSize(png);
            placed.Add(new SheetPicture(name, png, top, 1, w, hgt));
            ws.PageSetup.AddHorizontalPageBreak(top - 1);   // a chart starts a page, never cut by the page's edge
            top += (int)Math.Ceiling(hgt / 20.0) + 1;
        }
        return placed;
    }

    /// <summary>Excel's pixel width of a column w characters wide (Calibri 11: 7 px per character).</summary>
    public static double ColumnPixels(double w) => Math.Truncate((256 * w + Math.Truncate(128.0 / 7)) / 256 * 7);

    static void Providers(IXLWorksheet ws, DashboardData data)
    {
        Heading(ws, data, "Dienstleister im Vergleich");
        const int h = 4;
        Headers(ws, h, ("Kürzel", 12), ("Dienstleister", 40), ("IT-Gesamtkosten", 18), ("Kosten je Arbeitsplatz", 16),
            ($"Abweichung zum Vergleichswert {GermanFormat.Euro(data.BenchmarkCostPerWorkstation)}", 18),
                ("Kosten je Nutzer", 14),
            ("Kosten je Einwohner", 14), ("Arbeitsplätze je IT-VZÄ", 14), ("Konsolidierungs­potenzial je Jahr", 18),
                ("vorläufig", 11));
        var providers = data.Values.Where(v => v.Dimension == "provider").Select(v
            => (v.SliceKey, v.SliceLabel)).Distinct()
            .OrderBy(p => p.SliceLabel, GermanFormat.Order).ToList();
        var row = h;
        void Line(string dim, string key, string code, string label)
        {
            row++;
            Text(ws.Cell(row, 1), code);
            Text(ws.Cell(row, 2), label);
            Num(ws.Cell(row, 3), data.One("total_cost", dim, key)?.Value, EuroFormat);
            var cpw = data.One("cost_per_workstation", dim, key)?.Value;
            Num(ws.Cell(row, 4), cpw, EuroFormat);
            Num(ws.Cell(row, 5), cpw is { } c ? c / data.BenchmarkCostPerWorkstation - 1 : null, ChangeFormat);
            Num(ws.Cell(row, 6), data.One("cost_per_user", dim, key)?.Value, EuroFormat);
            Num(ws.Cell(row, 7), data.One("cost_per_inhabitant", dim, key)?.Value, CentFormat);
            Num(ws.Cell(row, 8), data.One("workstations_per_fte", dim, key)?.Value, DecimalFormat);
            Num(ws.Cell(row, 9), data.One("consolidation_potential", dim, key)?.Value, EuroFormat);
            Text(ws.Cell(row, 10), data.Values.Any(v => v.Dimension == dim && v.SliceKey == key && v.Provisional)
                ? "ja" : "nein");
            ws.Cell(row, 10).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
        }
        foreach (var (code, label) in providers) Line("provider", code, code, label);
        var last = row;
        if (last > h)
        {
            var scale = ws.Range(h + 1, 4, last, 4).AddConditionalFormat().ColorScale();
            scale.LowestValue(XLColor.FromHtml("#56B4E9")).Midpoint(XLCFContentType.Percentile, 50,
                XLColor.White).HighestValue(XLColor.FromHtml("#E69F00"));
            ws.Range(h + 1, 5, last,
                5).AddConditionalFormat().WhenGreaterThan(0).Font.SetFontColor(Style.Red).Font.SetBold();
        }
        Table(ws, h, last, 10);
        if (data.Values.Any(v => v.Dimension == "nrw"))
            Line("nrw", "NRW", "NRW", "Nordrhein-Westfalen gesamt");
        else
        {
            // The NRW aggregates are withheld from a provider below the anonymity minimum: no empty numeric row.
            row++;
            Text(ws.Cell(row, 1), "NRW");
            Text(ws.Cell(row, 2), "Nordrhein-Westfalen gesamt");
            Text(ws.Cell(row, 3), NotShown);
        }
        Style.Total(ws.Range(row, 1, row, 10));
    }

    const string NotShown = "nicht ausgewiesen (Anonymitätsregel)";

    static void Municipalities(IXLWorksheet ws, DashboardData data)
    {
        Heading(ws, data, "Kommunen");
        const int h = 4;
        Headers(ws, h, ("AGS", 11), ("Kommune", 30), ("Kreis", 28), ("Einwohner", 12), ("OZG-Online-Quote", 13),
            ("OZG-Konformität", 13),
            ("Dienstleister je Kommune", 13), ("Entgelte je Arbeitsplatz", 14));
        var row = h;
        foreach (var m in data.Municipalities)
        {
            row++;
            Text(ws.Cell(row, 1), m.Ags);
            Text(ws.Cell(row, 2), m.Name);
            Text(ws.Cell(row, 3), m.DistrictName);
            Num(ws.Cell(row, 4), m.Population, CountFormat);
            Num(ws.Cell(row, 5), data.One("ozg_online_rate", "municipality", m.Ags)?.Value, PercentFormat);
            Num(ws.Cell(row, 6), data.One("ozg_compliant_rate", "municipality", m.Ags)?.Value, PercentFormat);
            Num(ws.Cell(row, 7), data.One("providers_per_municipality", "municipality", m.Ags)?.Value, CountFormat);
            Num(ws.Cell(row, 8), data.One("charges_per_workstation", "municipality", m.Ags)?.Value, EuroFormat);
        }
        if (row > h)
            ws.Range(h + 1, 5, row, 5).AddConditionalFormat().ColorScale()
                .LowestValue(XLColor.FromHtml("#FDE725")).HighestValue(XLColor.FromHtml("#35B779"));
        Table(ws, h, row, 8);
    }

    static void Services(IXLWorksheet ws, DashboardData data)
    {
        // Services are NRW-wide slices: for any other scope the table is a comparison, its own value sits above it.
        var own = data.Scope.Kind == KpiScopeKind.Nrw;
        Heading(ws, data, own ? "Leistungen und Konsolidierung" : "Leistungen und Konsolidierung (NRW-Vergleich)");
        const int h = 4;
        if (!own)
        {
            Text(ws.Cell(3, 1), $"Konsolidierungspotenzial je Jahr, {data.ScopeLabel} (eigener Wert; "
                + "Dienstleister-Potenzial nach Arbeitsplatzanteil zugeordnet); Tabelle: NRW-Vergleich");
            Num(ws.Cell(3, 10),
                data.One("consolidation_potential", data.Scope.OwnDimension, data.Scope.OwnSliceKey)?.Value,
                    EuroFormat);
        }
        // The service's name first; its code, for the API and the returns, at the right.
        Headers(ws, h, ("Leistung", 38), ("Kostenanteil", 12), ("Versorgte Kommunen", 12),
            ("Versorgte Einwohner", 12),
            ("Anbieter", 10), ("HHI", 10), ("Stückkosten Minimum", 13), ("Stückkosten Median", 13),
                ("Stückkosten Maximum", 13),
            ("Konsolidierungs­potenzial je Jahr", 18), ("Technische ID", 14));
        var services = data.Values.Where(v => v.Dimension == "service").Select(v
            => (v.SliceKey, v.SliceLabel)).Distinct()
            .OrderByDescending(s => data.One("consolidation_potential", "service", s.SliceKey)?.Value ?? -1).ThenBy(s
                => s.SliceKey).ToList();
        var row = h;
        foreach (var (code, label) in services)
        {
            row++;
            Text(ws.Cell(row, 1), label);
            Text(ws.Cell(row, 11), code);
            ws.Cell(row, 11).Style.Font.FontColor = XLColor.FromHtml("#666666");
            Num(ws.Cell(row, 2), data.One("cost_share_by_service", "service", code)?.Value, PercentFormat);
            Num(ws.Cell(row, 3), data.One("service_coverage_municipalities", "service", code)?.Value, PercentFormat);
            Num(ws.Cell(row, 4), data.One("service_coverage_inhabitants", "service", code)?.Value, PercentFormat);
            Num(ws.Cell(row, 5), data.One("providers_per_service", "service", code)?.Value, CountFormat);
            Num(ws.Cell(row, 6), data.One("hhi_workstations", "service", code)?.Value, CountFormat);
            Num(ws.Cell(row, 7), data.One("unit_cost_min", "service", code)?.Value, EuroFormat);
            Num(ws.Cell(row, 8), data.One("unit_cost_median", "service", code)?.Value, EuroFormat);
            Num(ws.Cell(row, 9), data.One("unit_cost_max", "service", code)?.Value, EuroFormat);
            Num(ws.Cell(row, 10), data.One("consolidation_potential", "service", code)?.Value, EuroFormat);
        }
        if (row > h)
            ws.Range(h + 1, 10, row, 10).AddConditionalFormat().DataBar(XLColor.FromHtml("#009E73"));
        Table(ws, h, row, 11);
    }

    /// <summary>
    /// One row per district (and NRW last), one column per OZG topic: 53 districts stay readable on A4.
    /// </summary>
    static void Ozg(IXLWorksheet ws, DashboardData data)
    {
        Heading(ws, data, "OZG-Umsetzung: Online-Quote nach Kreis und Themenfeld");
        const int h = 4;
        var topics = data.OzgHeat.Select(c => c.Topic).Distinct().Order(GermanFormat.Order).ToList();
        var districts = data.OzgHeat.Where(c => c.ColumnKey != "NRW").Select(c
            => (c.ColumnKey, c.ColumnLabel)).Distinct().OrderBy(c => c.ColumnKey).ToList();
        // The NRW aggregate is withheld from a provider below the anonymity minimum: say so, no empty numeric row.
        var nrwShown = data.OzgHeat.Any(c => c.ColumnKey == "NRW");
        districts.Add(("NRW", "Nordrhein-Westfalen gesamt"));
        // A topic's column holds its longest word, so the wrapped header never runs into the next one.
        Headers(ws, h, [("Schlüssel", 10), ("Kreis / kreisfreie Stadt", 32),
            .. topics.Select(t => (t, Math.Max(13.0, t.Split(' ', '-').Max(w => w.Length) + 3.0)))]);
        ws.Row(h).Height = 60;
        var row = h;
        foreach (var (key, label) in districts)
        {
            row++;
            Text(ws.Cell(row, 1), key);
            Text(ws.Cell(row, 2), label);
            if (key == "NRW" && !nrwShown)
            {
                Text(ws.Cell(row, 3), NotShown);
                continue;
            }
            for (var k = 0; k < topics.Count; k++)
                Num(ws.Cell(row, k + 3), data.OzgHeat.FirstOrDefault(c => c.Topic == topics[k]
                    && c.ColumnKey == key)?.OnlineRate, PercentFormat);
        }
        var lastCol = topics.Count + 2;
        if (topics.Count > 0)
            ws.Range(h + 1, 3, row, lastCol).AddConditionalFormat().ColorScale()
                .LowestValue(XLColor.FromHtml("#FDE725")).Midpoint(XLCFContentType.Number, 0.5,
                    XLColor.FromHtml("#A0DA39")).HighestValue(XLColor.FromHtml("#35B779"));
        ws.SheetView.FreezeColumns(2);
        Table(ws, h, row - 1, lastCol);   // the NRW row stays below the filter range, like a total
        Style.Total(ws.Range(row, 1, row, lastCol));
        Text(ws.Cell(row + 2, 1),
            "Online-Quote: Anteil der gemeldeten Paare aus Kommune und OZG-Leistung mit Reifegrad 2 oder höher "
                + "(bester gemeldeter Reifegrad je Paar).");
        Style.Subtitle(ws.Cell(row + 2, 1));
    }

    static void Status(IXLWorksheet ws, DashboardData data)
    {
        Heading(ws, data, "Datenstand");
        (string Label, Action<IXLCell> Set)[] facts =
        [
            ("Snapshot-ID", c => Num(c, data.ShownId, CountFormat)),
            ("Zeitraum", c => Text(c, data.Period)),
            ("Berechnet am", c
                => { c.SetValue(Berlin(data.CreatedAt)); c.Style.NumberFormat.Format = DateTimeFormat; }),
            ("Erwartete Meldungen", c => Num(c, data.ReturnsExpected, CountFormat)),
            ("Eingegangene Meldungen", c => Num(c, data.ReturnsReceived, CountFormat)),
            ("Vollständigkeit", c => Num(c, data.Completeness, PercentFormat)),
            ("Status", c => Text(c, data.Provisional ? "vorläufig" : "endgültig")),
            ("Ausschnitt", c => Text(c, data.ScopeLabel)),
        ];
        var row = 3;
        foreach (var (label, set) in facts)
        {
            row++;
            Text(ws.Cell(row, 1), label);
            ws.Cell(row, 1).Style.Font.Bold = true;
            set(ws.Cell(row, 2));
            ws.Cell(row, 2).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
        }
        var labelWidth = facts.Max(f => TextWidth(f.Label));
        var h = row + 2;
        Headers(ws, h, ("Kürzel", Math.Max(12, labelWidth)), ("Dienstleister", 40), ("Versions-ID", 12),
            ("Version", 10), ("Status", 12), ("Eingereicht über", 30), ("Eingereicht am", 17), ("Entschieden am", 17));
        row = h;
        foreach (var r in data.Returns)
        {
            row++;
            Text(ws.Cell(row, 1), r.ProviderCode);
            Text(ws.Cell(row, 2), r.ProviderName);
            Num(ws.Cell(row, 3), r.Id, CountFormat);
            Num(ws.Cell(row, 4), r.Version, CountFormat);
            ws.Cell(row, 4).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
            Text(ws.Cell(row, 5), r.Status switch
            {
                ReturnStates.Accepted => "angenommen", ReturnStates.Superseded => "ersetzt",
                ReturnStates.Rejected => "abgelehnt", ReturnStates.Received => "eingegangen", _ => r.Status,
            });
            Text(ws.Cell(row, 6), Channel(r.SubmittedBy, r.ProviderCode));
            ws.Cell(row, 7).SetValue(Berlin(r.SubmittedAt));
            ws.Cell(row, 7).Style.NumberFormat.Format = DateTimeFormat;
            if (r.DecidedAt is { } d) ws.Cell(row, 8).SetValue(Berlin(d));
            ws.Cell(row, 8).Style.NumberFormat.Format = DateTimeFormat;
        }
        Table(ws, h, row, 8);
    }

    /// <summary>
    /// How a return came in, in words: never the account or user name stored with it ("api:KDZA", "demo").
    /// </summary>
    public static string Channel(string submittedBy, string providerCode)
    {
        var source = submittedBy.Split(':')[0];
        return source switch
        {
            "api" => $"Schnittstelle, Anbieter {providerCode}",
            "portal" => $"Meldeportal, Anbieter {providerCode}",
            "inbox" => "Eingangsordner",
            "demo" => "Beispieldaten der Demo",
            _ => $"Anbieter {providerCode}",
        };
    }

    static void Definitions(IXLWorksheet ws, DashboardData data)
    {
        Heading(ws, data, "Definitionen der Kennzahlen");
        const int h = 4;
        // German first; the catalogue's id, for people who query the API or the database, at the right.
        Headers(ws, h, ("Kennzahl", 34), ("Definition", 70), ("Einheit", 12), ("Besser ist", 12),
            ("Technische ID", 30));
        var row = h;
        foreach (var d in data.Definitions.Values.OrderBy(d => d.Name, GermanFormat.Order))
        {
            row++;
            Text(ws.Cell(row, 1), d.Name);
            Text(ws.Cell(row, 2), d.Id == "consolidation_potential"
                ? $"{d.Definition} In diesem Bericht: {DashboardCharts.ConsolidationMethod(data)}."
                : d.Definition);
            Text(ws.Cell(row, 3), d.Unit);
            Text(ws.Cell(row, 4), d.Direction switch { "higher" => "höher", "lower" => "niedriger", _ => "–" });
            Text(ws.Cell(row, 5), d.Id);
            ws.Cell(row, 2).Style.Alignment.WrapText = true;
            ws.Cell(row, 5).Style.Font.FontColor = XLColor.FromHtml("#666666");
        }
        ws.Range(h + 1, 1, row, 5).Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        Table(ws, h, row, 5);
    }

    static readonly TimeZoneInfo BerlinZone = FindBerlin();
    static TimeZoneInfo FindBerlin()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }
    static DateTime Berlin(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, BerlinZone).DateTime;
}
