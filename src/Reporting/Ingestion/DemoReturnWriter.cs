using ClosedXML.Excel;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.CustomProperties;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.VariantTypes;
using Reporting.Uploads;
using Reporting.Reference;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Ingestion;

/// <summary>
/// Writes generated returns as real xlsx files. Ordinary sizes go through the template itself (ClosedXML:
/// drop-downs, marked cells, version marker); large ones (benchmarks) are written streaming with the Open XML
/// SDK's OpenXmlWriter, with the same sheets, headers and marker so the reader recognises them as the template.
/// </summary>
public static class DemoReturnWriter
{
    /// <summary>Above this many table rows the streaming writer is used (ClosedXML needs ~1 KB per cell).</summary>
    public const int StreamingThreshold = 20_000;

    public static void Write(DemoReturnGenerator.Generated g, ReferenceCatalog catalog, string path)
    {
        if (g.Supply.Count + g.Ozg.Count > StreamingThreshold) WriteStreaming(g, catalog, path);
        else WriteThroughTemplate(g, catalog, path);
    }

    public static void WriteThroughTemplate(DemoReturnGenerator.Generated g, ReferenceCatalog catalog, string path)
    {
        using var wb = ReturnTemplate.Build(g.Cover.Period, catalog, g.Cover.ProviderCode);
        var cover = wb.Worksheet(L.CoverSheet);
        foreach (var (label, value) in CoverValues(g.Cover))
        {
            var cell = cover.Cell(L.CoverFirstRow + Array.IndexOf(L.CoverLabels, label), 2);
            if (value is decimal d) cell.SetValue(d); else cell.SetValue(Convert.ToString(value,
                System.Globalization.CultureInfo.InvariantCulture));
        }
        var costs = wb.Worksheet(L.CostSheet);
        foreach (var c in g.Costs) costs.Cell(c.Cell).SetValue(c.Amount);
        var supply = wb.Worksheet(L.SupplySheet);
        foreach (var s in g.Supply)
        {
            supply.Cell(s.Row, 1).SetValue(s.Ags);
            supply.Cell(s.Row, 2).SetValue(catalog.Municipalities.GetValueOrDefault(s.Ags, ""));
            supply.Cell(s.Row, 3).SetValue(s.ServiceCode);
            supply.Cell(s.Row, 4).SetValue(s.Workstations);
            supply.Cell(s.Row, 5).SetValue(s.Users);
            supply.Cell(s.Row, 6).SetValue(s.Charges);
        }
        var ozg = wb.Worksheet(L.OzgSheet);
        foreach (var o in g.Ozg)
        {
            ozg.Cell(o.Row, 1).SetValue(o.Ags);
            ozg.Cell(o.Row, 2).SetValue(catalog.Municipalities.GetValueOrDefault(o.Ags, ""));
            ozg.Cell(o.Row, 3).SetValue(o.OzgId);
            ozg.Cell(o.Row, 4).SetValue(catalog.OzgServices.GetValueOrDefault(o.OzgId, ""));
            ozg.Cell(o.Row, 5).SetValue((int)o.Maturity);
            ozg.Cell(o.Row, 6).SetValue(o.Efa ? "ja" : "nein");
            if (o.OnlineSince is { } d) ozg.Cell(o.Row, 7).SetValue(d.ToDateTime(TimeOnly.MinValue));
        }
        wb.SaveAs(path);
    }

    static IEnumerable<(string Label, object? Value)> CoverValues(ReturnCover c) =>
    [
        (L.CoverProviderCode, c.ProviderCode), (L.CoverProviderName, c.ProviderName), (L.CoverPeriod, c.Period),
        (L.CoverContact, c.Contact), (L.CoverStaffFte, c.StaffFte), (L.CoverStatedTotal, c.StatedTotal),
        (L.CoverTemplateId, L.TemplateId), (L.CoverTemplateVersion, L.Version),
    ];

    const uint DateStyle = 1, AmountStyle = 2, BoldStyle = 3;

    public static void WriteStreaming(DemoReturnGenerator.Generated g, ReferenceCatalog catalog, string path)
    {
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var wbPart = doc.AddWorkbookPart();
        var styles = wbPart.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = new Stylesheet(
            new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "dd.mm.yyyy" }) { Count = 1 },
            new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
            new Borders(new Border()) { Count = 1 },
            new CellFormats(
                new CellFormat(),
                new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
                new CellFormat { NumberFormatId = 4, ApplyNumberFormat = true },
                new CellFormat { FontId = 1, ApplyFont = true }) { Count = 4 });

        var sheets = new List<(string Name, string Id)>();
        void Sheet(string name, Action<OpenXmlWriter> body)
        {
            var part = wbPart.AddNewPart<WorksheetPart>();
            using (var w = OpenXmlWriter.Create(part))
            {
                w.WriteStartElement(new Worksheet());
                w.WriteStartElement(new SheetData());
                body(w);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            sheets.Add((name, wbPart.GetIdOfPart(part)));
        }

        Sheet(L.CoverSheet, w =>
        {
            Row(w, 1, [Text(L.Title, BoldStyle)]);
            var r = L.CoverFirstRow;
            foreach (var (label, value) in CoverValues(g.Cover))
                Row(w, r++, [Text(label, BoldStyle), value is decimal d ? Number((double)d, AmountStyle) : Text(
                    Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "")]);
        });
        Sheet(L.CostSheet, w =>
        {
            Row(w, 1, [Text("Kosten je Leistung und Kostenart", BoldStyle)]);
            Row(w, L.HeaderRow, [Text(L.CostServiceCode, BoldStyle),
                Text(L.CostServiceName, BoldStyle), .. catalog.CostTypes.Select(t => Text(t.Name, BoldStyle))]);
            var r = L.FirstDataRow;
            foreach (var byService in g.Costs.GroupBy(c => c.ServiceCode))
                Row(w, r++, [Text(byService.Key), Text(catalog.Services.GetValueOrDefault(byService.Key,
                    "")), .. byService.Select(c => Number((double)c.Amount, AmountStyle))]);
        });
        Sheet(L.SupplySheet, w =>
        {
            Row(w, 1, [Text("Versorgung der Kommunen", BoldStyle)]);
            Row(w, L.HeaderRow, L.SupplyHeaders.Select(h => Text(h, BoldStyle)).ToArray());
            foreach (var s in g.Supply)
                Row(w, s.Row, [Text(s.Ags), Text(catalog.Municipalities.GetValueOrDefault(s.Ags, "")), Text(
                    s.ServiceCode), Number(s.Workstations), Number(s.Users), Number((double)s.Charges, AmountStyle)]);
        });
        Sheet(L.OzgSheet, w =>
        {
            Row(w, 1, [Text("OZG-Umsetzung je Gemeinde", BoldStyle)]);
            Row(w, L.HeaderRow, L.OzgHeaders.Select(h => Text(h, BoldStyle)).ToArray());
            foreach (var o in g.Ozg)
                Row(w, o.Row, [Text(o.Ags), Text(catalog.Municipalities.GetValueOrDefault(o.Ags, "")), Number(o.OzgId),
                    Text(catalog.OzgServices.GetValueOrDefault(o.OzgId, "")),
                    Number(o.Maturity), Text(o.Efa ? "ja" : "nein"), o.OnlineSince is { } d
                        ? Number(d.ToDateTime(TimeOnly.MinValue).ToOADate(), DateStyle) : null]);
        });
        Sheet(L.GuidanceSheet, w
            => Row(w, 1,
                [Text(
                    $"{L.Title} – Vorlage {L.TemplateId}, Version {L.Version}. "
                    + "Dieses Blatt wird beim Einlesen nicht ausgewertet.")]));

        wbPart.Workbook = new Workbook(new Sheets(sheets.Select((s, i)
            => new Sheet { Name = s.Name, SheetId = (uint)(i + 1), Id = s.Id })));
        wbPart.Workbook.Save();

        var custom = doc.AddCustomFilePropertiesPart();
        custom.Properties = new Properties(
            new CustomDocumentProperty(
                new VTLPWSTR(L.TemplateId)) { FormatId = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", PropertyId = 2,
                    Name = L.TemplateIdProperty },
            new CustomDocumentProperty(new VTLPWSTR(L.Version)) { FormatId = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}",
                PropertyId = 3, Name = L.VersionProperty });
        custom.Properties.Save();
    }

    static Cell Text(string s, uint style = 0)
        => new(
            new InlineString(
                new DocumentFormat.OpenXml.Spreadsheet.Text(
                    s))) { DataType = DocumentFormat.OpenXml.Spreadsheet.CellValues.InlineString,
                        StyleIndex = style == 0 ? null : style };
    static Cell Number(double d, uint style = 0) => new(new CellValue(d)) { StyleIndex = style == 0 ? null : style };

    static void Row(OpenXmlWriter w, int row, Cell?[] cells)
    {
        w.WriteStartElement(new Row { RowIndex = (uint)row });
        for (var c = 0; c < cells.Length; c++)
        {
            if (cells[c] is not { } cell) continue;
            cell.CellReference = Reporting.Ingestion.CellValues.A1(c, row);
            w.WriteElement(cell);
        }
        w.WriteEndElement();
    }
}
