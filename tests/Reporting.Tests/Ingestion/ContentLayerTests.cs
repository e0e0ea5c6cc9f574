using ClosedXML.Excel;
using Reporting.Ingestion;
using Reporting.Uploads;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Tests.Ingestion;

/// <summary>Layers 2-6 on real files: template, structure, types, domain, cross-field.</summary>
public sealed class ContentLayerTests
{
    // Cover cells as the template writes them (labels from row 4 on).
    const string ProviderCell = "B4", PeriodCell = "B6", TotalCell = "B9", VersionCell = "B11";

    static ParsedReturn Changed(Action<XLWorkbook> change, string? uploader = null) =>
        ReturnFiles.Validate(ReturnFiles.WriteChanged(ReturnFiles.TempDir(), change), uploader);

    static ReturnMessage Single(ParsedReturn p, string rule)
    {
        var found = p.Messages.Where(m => m.Rule == rule).ToList();
        Assert.True(found.Count == 1, $"expected one {rule}, got:\n{ReturnFiles.Dump(p)}");
        return found[0];
    }

    [Fact]
    public void A_foreign_workbook_is_refused_with_the_template_to_download()
    {
        var path = Path.Combine(ReturnFiles.TempDir(), "fremd.xlsx");
        using (var wb = new XLWorkbook())
        {
            wb.Worksheets.Add("Tabelle1").Cell(1, 1).Value = "Kosten 2025";
            wb.SaveAs(path);
        }
        var p = ReturnFiles.Validate(path);
        var m = Assert.Single(p.Messages);
        Assert.Equal("Vorlage.Kennung", m.Rule);
        Assert.Contains("GET /api/template?period=", m.Text, StringComparison.Ordinal);
        Assert.Contains("template --period", m.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_old_template_version_is_refused_with_the_current_version_to_download()
    {
        var p = Changed(wb =>
        {
            wb.CustomProperty(L.VersionProperty).Value = "0.9";
            wb.Worksheet(L.CoverSheet).Cell(VersionCell).SetValue("0.9");
        });
        var m = Assert.Single(p.Messages);
        Assert.Equal("Vorlage.Version", m.Rule);
        Assert.Equal("0.9", m.Value);
        Assert.Contains("period=2025", m.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_sheet_and_a_missing_column_are_named()
    {
        var p = Changed(wb =>
        {
            wb.Unprotect();
            wb.Worksheet(L.SupplySheet).Delete();
            wb.Worksheet(L.OzgSheet).Cell(L.HeaderRow, 5).SetValue("Stufe");
        });
        Assert.Equal(L.SupplySheet, Single(p, "Struktur.Blatt").Sheet);
        Assert.Contains("Reifegrad", Single(p, "Struktur.Spalte").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Cells_of_the_wrong_type_are_named_with_sheet_cell_and_value()
    {
        var p = Changed(wb =>
        {
            wb.Worksheet(L.SupplySheet).Cell("D5").SetValue("viele");
            wb.Worksheet(L.OzgSheet).Cell("G6").SetValue("gestern");
            wb.Worksheet(L.OzgSheet).Cell("F7").SetValue("vielleicht");
            wb.Worksheet(L.CostSheet).Cell("C4").SetValue("teuer");
        });
        var ws = Single(p, "Typ.Ganzzahl");
        Assert.Equal((L.SupplySheet, "D5", "viele"), (ws.Sheet, ws.Cell, ws.Value));
        Assert.Equal("G6", Single(p, "Typ.Datum").Cell);
        Assert.Equal("F7", Single(p, "Typ.JaNein").Cell);
        Assert.Equal((L.CostSheet, "C4"), (Single(p, "Typ.Betrag").Sheet, Single(p, "Typ.Betrag").Cell));
        Assert.All(p.Messages, m => Assert.False(string.IsNullOrEmpty(m.Text)));
    }

    [Fact]
    public void German_number_text_percent_and_date_text_are_read()
    {
        var p = Changed(wb =>
        {
            var costs = wb.Worksheet(L.CostSheet);
            var cover = wb.Worksheet(L.CoverSheet);
            var old = costs.Cell("C4").GetValue<decimal>() + costs.Cell("D4").GetValue<decimal>();
            costs.Cell("C4").SetValue("1.234,56 €");
            costs.Cell("D4").SetValue(" 12 % ");
            var total = cover.Cell(TotalCell).GetValue<decimal>() - old + 1234.56m + 0.12m;
            cover.Cell(TotalCell).SetValue(total.ToString("#,##0.00",
                System.Globalization.CultureInfo.GetCultureInfo("de-DE")));
            wb.Worksheet(L.SupplySheet).Cell("D4").SetValue("1.200");
            wb.Worksheet(L.OzgSheet).Cell("G4").SetValue("31.12.2025");
            wb.Worksheet(L.OzgSheet).Cell("E4").SetValue(3);
        });
        Assert.False(p.HasErrors, ReturnFiles.Dump(p));
        Assert.Equal(1234.56m, p.Costs.Single(c => c.Cell == "C4").Amount);
        Assert.Equal(0.12m, p.Costs.Single(c => c.Cell == "D4").Amount);
        Assert.Equal(1200, p.Supply.Single(s => s.Row == 4).Workstations);
        Assert.Equal(new DateOnly(2025, 12, 31), p.Ozg.Single(o => o.Row == 4).OnlineSince);
    }

    [Fact]
    public void Unknown_AGS_and_OZG_ids_maturity_out_of_range_and_negative_amounts_are_errors()
    {
        var p = Changed(wb =>
        {
            wb.Worksheet(L.SupplySheet).Cell("A4").SetValue("05999999");
            wb.Worksheet(L.OzgSheet).Cell("C5").SetValue(99999);
            wb.Worksheet(L.OzgSheet).Cell("E6").SetValue(7);
            wb.Worksheet(L.SupplySheet).Cell("F7").SetValue(-5);
        });
        var ags = Single(p, "Domaene.AGS");
        Assert.Equal((L.SupplySheet, "A4", "05999999"), (ags.Sheet, ags.Cell, ags.Value));
        Assert.Equal((L.OzgSheet, "C5", "99999"),
            (Single(p, "Domaene.OZG").Sheet, Single(p, "Domaene.OZG").Cell, Single(p, "Domaene.OZG").Value));
        Assert.Equal("E6", Single(p, "Domaene.Reifegrad").Cell);
        Assert.Equal("F7", Single(p, "Domaene.Negativ").Cell);
    }

    [Fact]
    public void A_negative_cost_amount_is_an_error_even_when_the_total_matches()
    {
        var p = Changed(wb =>
        {
            var costs = wb.Worksheet(L.CostSheet);
            var cover = wb.Worksheet(L.CoverSheet);
            var old = costs.Cell("E10").GetValue<decimal>();
            costs.Cell("E10").SetValue(-100m);
            cover.Cell(TotalCell).SetValue(cover.Cell(TotalCell).GetValue<decimal>() - old - 100m);
        });
        var m = Single(p, "Domaene.Negativ");
        Assert.Equal((L.CostSheet, "E10"), (m.Sheet, m.Cell));
        Assert.DoesNotContain(p.Messages, x => x.Rule == "Quer.Gesamtkosten");
    }

    [Fact]
    public void A_return_for_another_provider_is_refused_for_the_uploader()
    {
        var path = ReturnFiles.WriteValid(ReturnFiles.TempDir(), "ITVB");
        var p = ReturnFiles.Validate(path, uploader: "KDZA");
        var m = Single(p, "Domaene.Dienstleister");
        Assert.Equal((L.CoverSheet, ProviderCell, "ITVB"), (m.Sheet, m.Cell, m.Value));
        Assert.False(ReturnFiles.Validate(path, uploader: "ITVB").HasErrors);
    }

    [Fact]
    public void On_the_command_line_the_provider_must_exist()
    {
        var p = Changed(wb => wb.Worksheet(L.CoverSheet).Cell(ProviderCell).SetValue("NEU"));
        Assert.Equal("NEU", Single(p, "Domaene.Dienstleister").Value);
    }

    [Fact]
    public void A_closed_period_is_refused_and_a_new_year_counts_as_open()
    {
        var closed = Changed(wb => wb.Worksheet(L.CoverSheet).Cell(PeriodCell).SetValue("2023"));
        Assert.Equal(PeriodCell, Single(closed, "Domaene.Zeitraum").Cell);
        Assert.Contains("abgeschlossen", Single(closed, "Domaene.Zeitraum").Text, StringComparison.Ordinal);

        var newYear = Changed(wb => wb.Worksheet(L.CoverSheet).Cell(PeriodCell).SetValue("2026"));
        Assert.False(newYear.HasErrors, ReturnFiles.Dump(newYear));
        var unknownQuarter = Changed(wb => wb.Worksheet(L.CoverSheet).Cell(PeriodCell).SetValue("2026-Q1"));
        Single(unknownQuarter, "Domaene.Zeitraum");
    }

    [Fact]
    public void A_stated_total_one_cent_off_is_an_error_naming_both_sums()
    {
        var p = Changed(wb =>
        {
            var cell = wb.Worksheet(L.CoverSheet).Cell(TotalCell);
            cell.SetValue(cell.GetValue<decimal>() + 0.01m);
        });
        var m = Single(p, "Quer.Gesamtkosten");
        Assert.Equal((L.CoverSheet, TotalCell), (m.Sheet, m.Cell));
        Assert.Contains("0,01 €", m.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicates_are_named_with_both_cells()
    {
        var p = Changed(wb =>
        {
            wb.Unprotect();
            var supply = wb.Worksheet(L.SupplySheet);
            var last = supply.LastRowUsed()!.RowNumber();
            supply.Row(4).CopyTo(supply.Row(last + 1));
            var ozg = wb.Worksheet(L.OzgSheet);
            var lastOzg = ozg.LastRowUsed()!.RowNumber();
            ozg.Row(5).CopyTo(ozg.Row(lastOzg + 1));
            var costs = wb.Worksheet(L.CostSheet);
            var lastCost = costs.LastRowUsed()!.RowNumber();
            costs.Cell(lastCost + 1, 1).SetValue("ARB");
            costs.Cell(lastCost + 1, 3).SetValue(0);
        });
        var dups = p.Messages.Where(m => m.Rule == "Quer.Doppelt").ToList();
        Assert.Equal(3, dups.Count);
        Assert.Contains(dups, m => m.Sheet == L.SupplySheet
            && m.Text.Contains("Versorgung!A4", StringComparison.Ordinal));
        Assert.Contains(dups, m => m.Sheet == L.OzgSheet && m.Text.Contains("OZG!A5", StringComparison.Ordinal));
        Assert.Contains(dups, m => m.Sheet == L.CostSheet && m.Text.Contains("Kosten!C4", StringComparison.Ordinal));
    }

    [Fact]
    public void Charges_without_workstations_are_a_warning_and_the_return_is_accepted()
    {
        var p = Changed(wb =>
        {
            var supply = wb.Worksheet(L.SupplySheet);
            foreach (var row in supply.RowsUsed().Where(r => r.RowNumber() >= L.FirstDataRow)) row.Cell(4).SetValue(0);
        });
        Assert.False(p.HasErrors, ReturnFiles.Dump(p));
        var m = Single(p, "Quer.EntgelteOhneArbeitsplaetze");
        Assert.Equal(Severity.Warning, m.Severity);
    }

    [Fact]
    public void Every_message_is_collected_up_to_the_cap_and_the_rest_is_counted()
    {
        var dir = ReturnFiles.TempDir();
        var g = DemoReturnGenerator.Generate(ReturnFiles.Demo, ReturnFiles.Provider("ITVB"), "2025", 3, rows: 2_600);
        var path = Path.Combine(dir, "gross.xlsx");
        DemoReturnWriter.WriteStreaming(g, ReturnFiles.Catalog, path);

        var p = ReturnFiles.Validate(path, limits: new UploadsOptions { MaxMessages = 1000 });

        Assert.Equal(1001, p.Messages.Count);
        var rest = p.Messages[^1];
        Assert.Equal("Meldungen.Begrenzt", rest.Rule);
        Assert.Equal((g.DuplicateOzgRows - 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            rest.Value);
    }

    [Fact]
    public void Domain_messages_name_the_cell_where_the_column_really_is()
    {
        var p = Changed(wb =>
        {
            var ozg = wb.Worksheet(L.OzgSheet);
            ozg.Column(1).InsertColumnsBefore(2);   // AGS moves from A to C, OZG-ID from C to E, Reifegrad from E to G
            ozg.Cell("E5").SetValue(99999);
            ozg.Cell("G6").SetValue(7);
        });
        Assert.Equal("E5", Single(p, "Domaene.OZG").Cell);
        Assert.Equal("G6", Single(p, "Domaene.Reifegrad").Cell);
    }
}
