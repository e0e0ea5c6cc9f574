using ClosedXML.Excel;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Reporting.Ingestion;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Tests.Ingestion;

/// <summary>
/// Files that other producers write: Open XML SDK (inline strings, formulas, 1904 dates), LibreOffice, hand edits.
/// </summary>
public sealed class ProducerTests
{
    static (DemoReturnGenerator.Generated Facts, string Path) Streamed(string code = "WTIT")
    {
        var g = ReturnFiles.Generate(code, "2025", seed: 5);
        var path = Path.Combine(ReturnFiles.TempDir(), $"{code}-2025.xlsx");
        DemoReturnWriter.WriteStreaming(g, ReturnFiles.Catalog, path);
        return (g, path);
    }

    static Cell FindCell(WorksheetPart part, string reference) =>
        part.Worksheet.Descendants<Cell>().Single(c => c.CellReference == reference);

    static WorksheetPart SheetPart(SpreadsheetDocument doc, string name)
    {
        var sheet = doc.WorkbookPart!.Workbook.Descendants<Sheet>().Single(s => s.Name == name);
        return (WorksheetPart)doc.WorkbookPart.GetPartById(sheet.Id!);
    }

    [Fact]
    public void A_workbook_written_with_the_Open_XML_SDK_and_inline_strings_reads_the_same_facts()
    {
        var (g, path) = Streamed();
        using (var zip = System.IO.Compression.ZipFile.OpenRead(path))
        {
            Assert.Null(zip.GetEntry("xl/sharedStrings.xml"));   // really inline strings only
        }
        var p = ReturnFiles.Validate(path, uploader: "WTIT");
        Assert.False(p.HasErrors, ReturnFiles.Dump(p));
        Assert.Equal(g.Cover, p.Cover);
        Assert.Equal(g.Supply, p.Supply);
        Assert.Equal(g.Ozg, p.Ozg);
        Assert.Equal(g.Costs.Select(c => (c.ServiceCode, c.CostType, c.Amount, c.Cell)),
            p.Costs.Select(c => (c.ServiceCode, c.CostType, c.Amount, c.Cell)));
    }

    [Fact]
    public void A_total_given_as_a_formula_is_read_from_its_cached_value()
    {
        var (g, path) = Streamed();
        using (var doc = SpreadsheetDocument.Open(path, true))
        {
            var cell = FindCell(SheetPart(doc, L.CoverSheet), "B9");
            cell.CellFormula = new CellFormula("SUM(Kosten!C4:G33)");
            cell.CellValue = new CellValue((double)g.Cover.StatedTotal!.Value);
            doc.Save();
        }
        var p = ReturnFiles.Validate(path);
        Assert.False(p.HasErrors, ReturnFiles.Dump(p));
        Assert.Equal(g.Cover.StatedTotal, p.Cover!.StatedTotal);
    }

    [Fact]
    public void Dates_of_a_workbook_in_the_1904_date_system_are_read_as_the_same_days()
    {
        var (g, path) = Streamed();
        using (var doc = SpreadsheetDocument.Open(path, true))
        {
            doc.WorkbookPart!.Workbook.InsertAt(new WorkbookProperties { Date1904 = true }, 0);
            foreach (var cell in SheetPart(doc, L.OzgSheet).Worksheet.Descendants<Cell>().Where(c
                => c.CellReference!.Value!.StartsWith('G') && c.StyleIndex?.Value == 1))   // the date style
                cell.CellValue = new CellValue(double.Parse(cell.CellValue!.Text,
                    System.Globalization.CultureInfo.InvariantCulture) - 1462);
            doc.Save();
        }
        var p = ReturnFiles.Validate(path);
        Assert.False(p.HasErrors, ReturnFiles.Dump(p));
        Assert.Contains(g.Ozg, o => o.OnlineSince is not null);
        Assert.Equal(g.Ozg.Select(o => o.OnlineSince), p.Ozg.Select(o => o.OnlineSince));
    }

    [Fact]
    public void Reordered_and_extra_columns_renamed_headers_hidden_and_empty_rows_are_tolerated()
    {
        var dir = ReturnFiles.TempDir();
        var g = ReturnFiles.Generate("ITVB", "2025", 7);
        var path = ReturnFiles.WriteChanged(dir, wb =>
        {
            wb.Unprotect();
            var ozg = wb.Worksheet(L.OzgSheet);
            ozg.Column(1).InsertColumnsBefore(1);                        // an extra column in front
            ozg.Cell(L.HeaderRow, 1).SetValue("Bemerkung");
            ozg.Cell(L.FirstDataRow, 1).SetValue("intern");
            // Reifegrad (now F) and EfA (now G) swap places, header and values.
            var last = ozg.LastRowUsed()!.RowNumber();
            for (var r = L.HeaderRow; r <= last; r++)
            {
                var a = ozg.Cell(r, 6).Value;
                ozg.Cell(r, 6).Value = ozg.Cell(r, 7).Value;
                ozg.Cell(r, 7).Value = a;
            }
            ozg.Cell(L.HeaderRow, 7).SetValue("  REIFEGRAD ");
            ozg.Row(L.FirstDataRow + 1).Hide();
            ozg.Column(3).Hide();
            var supply = wb.Worksheet(L.SupplySheet);
            supply.Cell(L.HeaderRow, 6).SetValue("Entgelte (EUR)");
            supply.Cell(L.HeaderRow, 7).SetValue("Kommentar");
            supply.Cell(L.FirstDataRow, 7).SetValue("freier Text");
            supply.Row(L.FirstDataRow + 2).InsertRowsAbove(2);           // empty rows inside the table
        });
        var p = ReturnFiles.Validate(path);
        Assert.False(p.HasErrors, ReturnFiles.Dump(p));
        Assert.Equal(g.Ozg.Select(o => (o.Ags, o.OzgId, o.Maturity, o.Efa, o.OnlineSince, o.Row)),
            p.Ozg.Select(o => (o.Ags, o.OzgId, o.Maturity, o.Efa, o.OnlineSince, o.Row)));
        Assert.Equal(g.Supply.Select(s => (s.Ags, s.ServiceCode, s.Workstations, s.Charges)),
            p.Supply.Select(s => (s.Ags, s.ServiceCode, s.Workstations, s.Charges)));
        Assert.Equal(L.FirstDataRow + 4, p.Supply[2].Row);                // positions follow the rows as they are now
    }

    [Fact]
    public void An_AGS_typed_as_a_number_gets_its_leading_zero_back()
    {
        var p = ReturnFiles.Validate(ReturnFiles.WriteChanged(ReturnFiles.TempDir(), wb =>
            wb.Worksheet(L.SupplySheet).Cell("A4").SetValue(5812000)));
        Assert.False(p.HasErrors, ReturnFiles.Dump(p));
        Assert.Equal("05812000", p.Supply[0].Ags);
    }

    [SofficeFact]
    public void A_return_saved_again_by_LibreOffice_reads_the_same_facts()
    {
        var dir = ReturnFiles.TempDir();
        var g = ReturnFiles.Generate("ITVB", "2025", 7);
        var original = ReturnFiles.WriteValid(dir, "ITVB");
        var converted = Soffice.Convert(original, "xlsx", dir);

        var p = ReturnFiles.Validate(converted, uploader: "ITVB");

        Assert.False(p.HasErrors, ReturnFiles.Dump(p));
        Assert.Equal(g.Cover, p.Cover);
        Assert.Equal(g.Costs, p.Costs);
        Assert.Equal(g.Supply, p.Supply);
        Assert.Equal(g.Ozg, p.Ozg);
    }
}
