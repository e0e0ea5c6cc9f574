using ClosedXML.Excel;
using Reporting.Reference;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Uploads;

/// <summary>
/// Writes the provider return template "Meldung kommunaler IT-Dienstleister" (ClosedXML; a few hundred rows):
/// cover, costs, supply, OZG and guidance sheets, drop-downs from the reference catalogue, marked input cells,
/// and the template id/version as custom document properties, a defined name and cover cells.
/// </summary>
public static class ReturnTemplate
{
    /// <summary>Rows that carry drop-downs and input marking on the table sheets.</summary>
    public const int PreparedRows = 1000;

    static readonly XLColor InputFill = XLColor.FromHtml("#FFF2CC");
    static readonly XLColor HeaderFill = XLColor.FromHtml("#1F4E78");
    const string EuroFormat = "#,##0.00";

    /// <summary>The template for <paramref name="period"/> as xlsx bytes (served by GET /api/template).</summary>
    public static byte[] Create(string period, ReferenceCatalog catalog, string? providerCode = null)
    {
        using var wb = Build(period, catalog, providerCode);
        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        return ms.ToArray();
    }

    /// <summary>The template as a workbook, for callers that fill it (the demo generator).</summary>
    public static XLWorkbook Build(string period, ReferenceCatalog catalog, string? providerCode = null)
    {
        var wb = new XLWorkbook();
        wb.CustomProperties.Add(L.TemplateIdProperty, L.TemplateId);
        wb.CustomProperties.Add(L.VersionProperty, L.Version);
        wb.Properties.Title = L.Title;
        wb.Properties.Subject = $"{L.TemplateId} {L.Version}";

        var cover = wb.Worksheets.Add(L.CoverSheet);
        var costs = wb.Worksheets.Add(L.CostSheet);
        var supply = wb.Worksheets.Add(L.SupplySheet);
        var ozg = wb.Worksheets.Add(L.OzgSheet);
        var guidance = wb.Worksheets.Add(L.GuidanceSheet);
        var lists = wb.Worksheets.Add(L.ListsSheet);

        var listRanges = WriteLists(lists, catalog);
        WriteCover(cover, period, catalog, providerCode);
        WriteCosts(costs, catalog, listRanges.Services);
        WriteSupply(supply, listRanges);
        WriteOzg(ozg, listRanges);
        WriteGuidance(guidance, period);
        lists.Visibility = XLWorksheetVisibility.VeryHidden;
        wb.NamedRanges.Add(L.VersionDefinedName,
            $"'{L.CoverSheet}'!$B${L.CoverFirstRow + Array.IndexOf(L.CoverLabels, L.CoverTemplateVersion)}");
        // Sheets may not be added, removed or renamed: the reader finds them by name.
        wb.Protect();
        cover.SetTabActive();
        return wb;
    }

    sealed record ListRanges(IXLRange Services, IXLRange Municipalities, IXLRange Ozg, IXLRange YesNo);

    static ListRanges WriteLists(IXLWorksheet ws, ReferenceCatalog catalog)
    {
        ws.Cell(1, 1).Value = "Leistungscode";
        ws.Cell(1, 2).Value = "AGS";
        ws.Cell(1, 3).Value = "OZG-ID";
        ws.Cell(1, 4).Value = "EfA";
        var r = 2;
        foreach (var code in catalog.Services.Keys) ws.Cell(r++, 1).SetValue(code);
        var services = ws.Range(2, 1, Math.Max(2, r - 1), 1);
        r = 2;
        foreach (var ags in catalog.Municipalities.Keys) ws.Cell(r++, 2).SetValue(ags);   // text: keeps leading zeros
        var municipalities = ws.Range(2, 2, Math.Max(2, r - 1), 2);
        r = 2;
        foreach (var id in catalog.OzgServices.Keys) ws.Cell(r++, 3).SetValue(id);
        var ozgIds = ws.Range(2, 3, Math.Max(2, r - 1), 3);
        ws.Cell(2, 4).SetValue("ja");
        ws.Cell(3, 4).SetValue("nein");
        return new ListRanges(services, municipalities, ozgIds, ws.Range(2, 4, 3, 4));
    }

    static void WriteTitle(IXLWorksheet ws, string title, string hint, int lastColumn)
    {
        ws.Cell(1, 1).Value = title;
        ws.Cell(1, 1).Style.Font.SetBold().Font.SetFontSize(14);
        ws.Cell(2, 1).Value = hint;
        ws.Cell(2, 1).Style.Font.SetItalic().Font.SetFontColor(XLColor.DarkGray);
        ws.Range(2, 1, 2, lastColumn).Merge();
    }

    static void WriteHeader(IXLWorksheet ws, IReadOnlyList<string> headers)
    {
        for (var c = 0; c < headers.Count; c++) ws.Cell(L.HeaderRow, c + 1).Value = headers[c];
        var header = ws.Range(L.HeaderRow, 1, L.HeaderRow, headers.Count);
        header.Style.Font.SetBold().Font.SetFontColor(XLColor.White).Fill.SetBackgroundColor(HeaderFill);
        header.Style.Alignment.SetWrapText(true).Alignment.SetVertical(XLAlignmentVerticalValues.Center);
        ws.Row(L.HeaderRow).Height = 30;
        ws.SheetView.FreezeRows(L.HeaderRow);
        ws.PageSetup.PaperSize = XLPaperSize.A4Paper;
        ws.PageSetup.PageOrientation = XLPageOrientation.Landscape;
        ws.PageSetup.FitToPages(1, 0);   // all columns on one page width
    }

    static void MarkInput(IXLRange range)
    {
        range.Style.Fill.SetBackgroundColor(InputFill);
        range.Style.Protection.SetLocked(false);
        range.Style.Border.SetOutsideBorder(XLBorderStyleValues.Thin)
            .Border.SetOutsideBorderColor(XLColor.FromHtml("#BF9000"));
    }

    static void WriteCover(IXLWorksheet ws, string period, ReferenceCatalog catalog, string? providerCode)
    {
        WriteTitle(ws, L.Title, "Gelb markierte Zellen ausfüllen. Hinweise im Blatt „Hinweise“.", 2);
        var values = new Dictionary<string, object?>
        {
            [L.CoverProviderCode] = providerCode,
            [L.CoverProviderName] = providerCode is not null
                && catalog.Providers.TryGetValue(providerCode, out var name) ? name : null,
            [L.CoverPeriod] = period,
            [L.CoverTemplateId] = L.TemplateId,
            [L.CoverTemplateVersion] = L.Version,
        };
        var row = L.CoverFirstRow;
        foreach (var label in L.CoverLabels)
        {
            ws.Cell(row, 1).Value = label;
            ws.Cell(row, 1).Style.Font.SetBold();
            var cell = ws.Cell(row, 2);
            if (values.TryGetValue(label, out var v) && v is not null) cell.SetValue(v.ToString());
            if (label is L.CoverTemplateId or L.CoverTemplateVersion)
                cell.Style.Font.SetFontColor(XLColor.Gray);
            else
                MarkInput(ws.Range(row, 2, row, 2));
            if (label is L.CoverStaffFte) cell.Style.NumberFormat.Format = "#,##0.00";
            if (label is L.CoverStatedTotal) cell.Style.NumberFormat.Format = EuroFormat;
            if (label is L.CoverProviderCode or L.CoverPeriod) cell.Style.NumberFormat.Format = "@";
            row++;
        }
        ws.Column(1).Width = 28;
        ws.Column(2).Width = 44;
        ws.PageSetup.PaperSize = XLPaperSize.A4Paper;
        ws.PageSetup.FitToPages(1, 1);
        ws.Protect();
    }

    static void WriteCosts(IXLWorksheet ws, ReferenceCatalog catalog, IXLRange serviceList)
    {
        var headers = new List<string> { L.CostServiceCode, L.CostServiceName };
        headers.AddRange(catalog.CostTypes.Select(c => c.Name));
        headers.Add(L.CostRowTotal);
        WriteTitle(ws, "Kosten je Leistung und Kostenart",
            "Beträge in EUR für den Meldezeitraum; leere Zellen zählen als 0. Die Summe aller Beträge muss den "
                + "Gesamtkosten auf dem Deckblatt entsprechen.", headers.Count);
        WriteHeader(ws, headers);
        var row = L.FirstDataRow;
        var firstAmount = 3;
        var lastAmount = 2 + catalog.CostTypes.Count;
        foreach (var (code, name) in catalog.Services)
        {
            ws.Cell(row, 1).SetValue(code);
            ws.Cell(row, 2).SetValue(name);
            ws.Cell(row, lastAmount
                + 1).FormulaA1 = $"SUM({ws.Cell(row, firstAmount).Address}:{ws.Cell(row, lastAmount).Address})";
            row++;
        }
        var amounts = ws.Range(L.FirstDataRow, firstAmount, Math.Max(L.FirstDataRow, row - 1), lastAmount);
        MarkInput(amounts);
        amounts.Style.NumberFormat.Format = EuroFormat;
        var dv = amounts.SetDataValidation();
        dv.Decimal.EqualOrGreaterThan(0);
        dv.ErrorTitle = "Betrag";
        dv.ErrorMessage = "Bitte einen Betrag in EUR ab 0 eingeben.";
        ws.Range(L.FirstDataRow, lastAmount + 1, Math.Max(L.FirstDataRow, row - 1), lastAmount
            + 1).Style.NumberFormat.Format = EuroFormat;
        ws.Column(1).Width = 14;
        ws.Column(2).Width = 42;
        for (var c = firstAmount; c <= lastAmount + 1; c++) ws.Column(c).Width = 16;
        ws.Protect().AllowElement(XLSheetProtectionElements.FormatColumns);
    }

    static void WriteSupply(IXLWorksheet ws, ListRanges lists)
    {
        WriteTitle(ws, "Versorgung der Kommunen",
            "Eine Zeile je Gemeinde (AGS) und Leistung: Arbeitsplätze, Nutzer und berechnete Entgelte in EUR.",
                L.SupplyHeaders.Length);
        WriteHeader(ws, L.SupplyHeaders);
        var last = L.FirstDataRow + PreparedRows - 1;
        MarkInput(ws.Range(L.FirstDataRow, 1, last, 1));
        MarkInput(ws.Range(L.FirstDataRow, 3, last, 6));
        ws.Range(L.FirstDataRow, 1, last, 1).Style.NumberFormat.Format = "@";
        ws.Range(L.FirstDataRow, 1, last, 1).SetDataValidation().List(lists.Municipalities, true);
        ws.Range(L.FirstDataRow, 3, last, 3).SetDataValidation().List(lists.Services, true);
        var counts = ws.Range(L.FirstDataRow, 4, last, 5).SetDataValidation();
        counts.WholeNumber.EqualOrGreaterThan(0);
        counts.ErrorMessage = "Bitte eine ganze Zahl ab 0 eingeben.";
        ws.Range(L.FirstDataRow, 6, last, 6).Style.NumberFormat.Format = EuroFormat;
        ws.Range(L.FirstDataRow, 6, last, 6).SetDataValidation().Decimal.EqualOrGreaterThan(0);
        double[] widths = [12, 30, 14, 14, 12, 18];
        for (var c = 0; c < widths.Length; c++) ws.Column(c + 1).Width = widths[c];
    }

    static void WriteOzg(IXLWorksheet ws, ListRanges lists)
    {
        WriteTitle(ws, "OZG-Umsetzung je Gemeinde",
            "Eine Zeile je Gemeinde (AGS) und OZG-Leistung: Reifegrad 0-4, EfA ja/nein, online seit (Datum).",
                L.OzgHeaders.Length);
        WriteHeader(ws, L.OzgHeaders);
        var last = L.FirstDataRow + PreparedRows - 1;
        MarkInput(ws.Range(L.FirstDataRow, 1, last, 1));
        MarkInput(ws.Range(L.FirstDataRow, 3, last, 3));
        MarkInput(ws.Range(L.FirstDataRow, 5, last, 7));
        ws.Range(L.FirstDataRow, 1, last, 1).Style.NumberFormat.Format = "@";
        ws.Range(L.FirstDataRow, 1, last, 1).SetDataValidation().List(lists.Municipalities, true);
        ws.Range(L.FirstDataRow, 3, last, 3).SetDataValidation().List(lists.Ozg, true);
        var maturity = ws.Range(L.FirstDataRow, 5, last, 5).SetDataValidation();
        maturity.WholeNumber.Between(0, 4);
        maturity.ErrorMessage = "Reifegrad 0 bis 4.";
        ws.Range(L.FirstDataRow, 6, last, 6).SetDataValidation().List(lists.YesNo, true);
        ws.Range(L.FirstDataRow, 7, last, 7).Style.NumberFormat.Format = "dd.mm.yyyy";
        double[] widths = [12, 30, 10, 44, 11, 8, 13];
        for (var c = 0; c < widths.Length; c++) ws.Column(c + 1).Width = widths[c];
    }

    static void WriteGuidance(IXLWorksheet ws, string period)
    {
        string[] lines =
        [
            L.Title + $" – Vorlage {L.TemplateId}, Version {L.Version}, Meldezeitraum {period}",
            "",
            "Deckblatt: Kennung und Name des Dienstleisters, Meldezeitraum, Ansprechperson, Personal in "
                + "Vollzeitäquivalenten und die Gesamtkosten in EUR.",
            "Kosten: Beträge je Leistung und Kostenart in EUR; die Summe aller Beträge muss den Gesamtkosten auf dem "
                + "Deckblatt auf den Cent entsprechen.",
            "Versorgung: je Gemeinde (8-stelliger AGS) und Leistung die Arbeitsplätze, Nutzer und Entgelte; jede "
                + "Kombination nur einmal.",
            "OZG: je Gemeinde und OZG-Leistung (OZG-ID) der Reifegrad 0-4, EfA (ja/nein) und das Datum, seit dem die "
                + "Leistung online ist.",
            "Zahlen dürfen deutsch formatiert sein (1.234,56). Zusätzliche Spalten werden ignoriert; Blätter bitte "
                + "nicht umbenennen.",
            "Dieses Blatt wird beim Einlesen nicht ausgewertet.",
        ];
        for (var i = 0; i < lines.Length; i++) ws.Cell(i + 1, 1).Value = lines[i];
        ws.Cell(1, 1).Style.Font.SetBold().Font.SetFontSize(14);
        ws.Column(1).Width = 130;
        ws.Column(1).Style.Alignment.SetWrapText(true);
    }
}
