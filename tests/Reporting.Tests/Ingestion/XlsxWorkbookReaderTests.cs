using ClosedXML.Excel;
using Reporting.Ingestion;
using Reporting.Ingestion.Xlsx;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Tests.Ingestion;

/// <summary>
/// The streaming sheet reader under ReturnReader, on files written by ClosedXML and on hand-built parts.
/// </summary>
public sealed class XlsxWorkbookReaderTests
{
    /// <summary>Every row of every sheet: sheet name, row number, and the row's values by column.</summary>
    static List<(string Sheet, int Row, object?[] Values)> ReadAll(byte[] bytes)
    {
        using var reader = XlsxWorkbookReader.Open(new MemoryStream(bytes));
        var rows = new List<(string, int, object?[])>();
        while (reader.NextSheet())
            while (reader.Read())
                rows.Add((reader.Name, reader.RowNumber,
                    Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue).ToArray()));
        return rows;
    }

    static byte[] Saved(XLWorkbook wb)
    {
        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        return ms.ToArray();
    }

    static byte[] OneSheet(string rows, string? sharedStrings = null, string? styles = null, bool date1904 = false) =>
        XlsxPackages.Build([("Daten", "visible", rows)], sharedStrings, styles, date1904);

    static object?[] Row(byte[] bytes, int number) => ReadAll(bytes).Single(r => r.Row == number).Values;

    [Fact]
    public void Sheets_come_in_workbook_order_with_their_visibility()
    {
        using var wb = new XLWorkbook();
        wb.AddWorksheet("Deckblatt").Cell(1, 1).Value = "a";
        wb.AddWorksheet("Nebenrechnung").Visibility = XLWorksheetVisibility.Hidden;
        wb.AddWorksheet("Listen").Visibility = XLWorksheetVisibility.VeryHidden;
        using var reader = XlsxWorkbookReader.Open(new MemoryStream(Saved(wb)));

        Assert.Equal(["Deckblatt:visible", "Nebenrechnung:hidden", "Listen:veryHidden"],
            reader.Sheets.Select(s => $"{s.Name}:{s.State}"));
        Assert.False(reader.Date1904);
        var seen = new List<string>();
        while (reader.NextSheet()) seen.Add(reader.Name + ":" + reader.VisibleState);
        Assert.Equal(["Deckblatt:visible", "Nebenrechnung:hidden", "Listen:veryHidden"], seen);
        Assert.False(reader.Read());
    }

    [Fact]
    public void A_ClosedXML_workbook_reads_as_strings_numbers_booleans_and_dates_where_they_stand()
    {
        using var wb = new XLWorkbook();
        var ws = wb.AddWorksheet("Daten");
        ws.Cell("A1").SetValue("Köln");
        ws.Cell("C1").SetValue(1234.5);
        ws.Cell("C1").Style.NumberFormat.Format = "#,##0.00 \"€\"";
        ws.Cell("D1").SetValue(true);
        ws.Cell("A3").SetValue(new DateTime(2025, 3, 1));
        ws.Cell("B3").SetValue(45352);
        ws.Cell("B3").Style.NumberFormat.Format = "dd.mm.yyyy";
        ws.Cell("C3").SetValue(45352.5);
        ws.Cell("C3").Style.NumberFormat.NumberFormatId = 22;
        ws.Cell("D3").SetValue(new string('9', 32_767));
        ws.Cell("XFD4").SetValue(7);
        var rows = ReadAll(Saved(wb));

        Assert.Equal([1, 3, 4], rows.Select(r => r.Row));   // row 2 is not in the file and is not made up
        Assert.Equal(["Köln", null, 1234.5, true], rows[0].Values);
        Assert.Equal(new DateTime(2025, 3, 1), rows[1].Values[0]);
        Assert.Equal(new DateTime(2024, 3, 1), rows[1].Values[1]);
        Assert.Equal(new DateTime(2024, 3, 1, 12, 0, 0), rows[1].Values[2]);
        Assert.Equal(32_767, Assert.IsType<string>(rows[1].Values[3]).Length);
        Assert.Equal(XlsxWorkbookReader.MaxColumns, rows[2].Values.Length);
        Assert.Equal(7.0, rows[2].Values[^1]);
    }

    [Fact]
    public void Shared_inline_and_formula_strings_are_text_and_rich_text_runs_are_joined()
    {
        var bytes = OneSheet(
            """
            <row r="1">
              <c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>
              <c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>
              <c r="E1" t="inlineStr"><is><t>inline</t></is></c>
              <c r="F1" t="inlineStr"><is><r><t>Reif</t></r><r><rPr><b/></rPr><t xml:space="preserve">egrad 3</t></r>
                </is></c>
              <c r="G1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>
              <c r="H1" t="s"><v>99</v></c>
            </row>
            """,
            sharedStrings: """
                <si><t>Leistung</t></si>
                <si><r><t>Arbeits</t></r><r><rPr><i/></rPr><t>plätze</t></r></si>
                <si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>
                <si><t xml:space="preserve"> 05_x0007_811 _x005F_x </t></si>
                """);

        Assert.Equal(["Leistung", "Arbeitsplätze", "東京", " 05\u0007811 _x ", "inline", "Reifegrad 3", "ab"],
            Row(bytes, 1));
    }

    [Fact]
    public void Missing_rows_and_cells_keep_their_addresses_and_cells_without_a_reference_follow_the_previous_one()
    {
        var rows = ReadAll(OneSheet(
            """
            <row r="2"><c r="B2"><v>1</v></c><c r="D2"><v>2</v></c><c><v>3</v></c></row>
            <row r="5" s="1" customFormat="1"/>
            <row><c r="C6" s="1"/><c><v>4</v></c></row>
            <row r="9"><c r="AA9"><v>5</v></c></row>
            """));

        Assert.Equal([2, 5, 6, 9], rows.Select(r => r.Row));
        Assert.Equal([null, 1.0, null, 2.0, 3.0], rows[0].Values);
        Assert.Empty(rows[1].Values);
        Assert.Equal([null, null, null, 4.0], rows[2].Values);   // an empty formatted cell holds nothing
        Assert.Equal(27, rows[3].Values.Length);
        Assert.Equal(5.0, rows[3].Values[26]);
    }

    const string DateStyles = """
        <numFmts count="5">
          <numFmt numFmtId="164" formatCode="dd.mm.yyyy"/>
          <numFmt numFmtId="165" formatCode="0.00&quot; d&quot;"/>
          <numFmt numFmtId="166" formatCode="[$-407]d. mmmm yyyy"/>
          <numFmt numFmtId="167" formatCode="[h]:mm"/>
          <numFmt numFmtId="168" formatCode="#,##0 [$€-407]"/>
        </numFmts>
        <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
        <cellXfs count="7">
          <xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>
          <xf numFmtId="166"/><xf numFmtId="167"/><xf numFmtId="168"/>
        </cellXfs>
        """;

    [Fact]
    public void Dates_follow_the_1900_system_with_its_leap_year_bug()
    {
        var values = Row(OneSheet(
            """
            <row r="1">
              <c r="A1" s="1"><v>1</v></c><c r="B1" s="1"><v>59</v></c>
              <c r="C1" s="1"><v>61</v></c><c r="D1" s="2"><v>45352</v></c>
              <c r="E1" s="4"><v>45352.75</v></c><c r="F1" s="0"><v>45352</v></c>
            </row>
            """, styles: DateStyles), 1);

        Assert.Equal([new DateTime(1900, 1, 1), new DateTime(1900, 2, 28), new DateTime(1900, 3, 1),
            new DateTime(2024, 3, 1),
            new DateTime(2024, 3, 1, 18, 0, 0), 45352.0], values);
    }

    [Fact]
    public void Only_date_formats_make_dates_not_a_d_in_quotes_or_a_currency_bracket_and_elapsed_time_is_a_duration()
    {
        var values = Row(OneSheet(
            """<row r="1"><c r="A1" s="3"><v>2.5</v></c><c r="B1" s="5"><v>1.5</v></c>"""
                + """<c r="C1" s="6"><v>12</v></c><c r="D1" s="7"><v>3</v></c></row>""",
            styles: DateStyles), 1);

        Assert.Equal([2.5, TimeSpan.FromHours(36), 12.0, 3.0], values);   // s="7" is past the styles: a plain number
    }

    [Fact]
    public void Excels_built_in_date_ids_are_dates_also_the_East_Asian_ones_and_46_is_an_elapsed_time()
    {
        int[] dates = [14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 47, 50, 51, 52,
            53, 54, 55, 56, 57, 58];
        Assert.All(dates, id => Assert.Equal(XlsxNumberKind.Date, XlsxStyles.OfBuiltIn(id)));
        Assert.Equal(XlsxNumberKind.Duration, XlsxStyles.OfBuiltIn(46));
        Assert.All(Enumerable.Range(0, 164).Except(dates).Except([46]), id
            => Assert.Equal(XlsxNumberKind.Number, XlsxStyles.OfBuiltIn(id)));
    }

    [Fact]
    public void Dates_in_the_1904_system_count_from_1904()
    {
        var serial = (new DateTime(2024, 3, 1) - new DateTime(1904, 1, 1)).Days;
        var bytes = OneSheet(
            $"""<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="2"><v>{serial}</v></c>"""
                + $"""<c r="C1"><v>{serial}</v></c></row>""",
            styles: DateStyles, date1904: true);
        using (var reader = XlsxWorkbookReader.Open(new MemoryStream(bytes))) Assert.True(reader.Date1904);

        Assert.Equal([new DateTime(1904, 1, 1), new DateTime(2024, 3, 1), (double)serial], Row(bytes, 1));
    }

    [Fact]
    public void Booleans_are_bools_and_error_cells_are_empty_values_reported_with_their_formula()
    {
        using var reader = XlsxWorkbookReader.Open(new MemoryStream(OneSheet(
            """
            <row r="3">
              <c r="A3" t="b"><v>1</v></c><c r="B3" t="b"><v>0</v></c>
              <c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D3" t="e"><v>#NV</v></c><c r="E3" t="e"/>
            </row>
            <row r="4"><c r="A4"><v>1</v></c></row>
            """)));
        Assert.True(reader.NextSheet());
        Assert.True(reader.Read());

        Assert.Equal(true, reader.GetValue(0));
        Assert.Equal(false, reader.GetValue(1));
        Assert.Null(reader.GetValue(2));
        Assert.Equal(5, reader.FieldCount);
        Assert.Equal([new XlsxCellError(2, "#DIV/0!", "1/0"), new XlsxCellError(3, "#NV", null),
            new XlsxCellError(4, "#FEHLER", null)], reader.Errors);
        Assert.True(reader.Read());
        Assert.Empty(reader.Errors);   // the row's errors do not carry over
        Assert.False(reader.Read());
    }

    [Fact]
    public void Sheet_parts_are_found_by_absolute_targets_and_rows_of_the_previous_sheet_do_not_leak()
    {
        var bytes = XlsxPackages.Build(
            [("Eins", "visible", """<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>"""),
                ("Zwei", "hidden", "")],
            absoluteTargets: true);
        using var reader = XlsxWorkbookReader.Open(new MemoryStream(bytes));

        Assert.True(reader.NextSheet());
        Assert.True(reader.Read());
        Assert.Equal(2.0, reader.GetValue(1));
        Assert.True(reader.NextSheet());
        Assert.Equal("hidden", reader.VisibleState);
        Assert.Equal(0, reader.FieldCount);
        Assert.Null(reader.GetValue(1));
        Assert.False(reader.Read());
        Assert.False(reader.NextSheet());
    }

    [Fact]
    public void A_broken_or_missing_sheet_part_throws_instead_of_reading_on()
    {
        var broken = XlsxPackages.Edit(OneSheet("""<row r="1"><c r="A1"><v>1</v></c></row>"""),
            "xl/worksheets/sheet1.xml", t => t[..(t.Length / 2)]);
        var e = Assert.Throws<XlsxRefusedException>(() => ReadAll(broken));
        Assert.Equal(("Datei.Defekt", "xl/worksheets/sheet1.xml"), (e.Rule, e.Part));
        var missing = XlsxPackages.Edit(OneSheet("""<row r="1"><c r="A1"><v>1</v></c></row>"""),
            "xl/worksheets/sheet1.xml", _ => null);
        Assert.Throws<InvalidDataException>(() => ReadAll(missing));
        var noWorkbook = XlsxPackages.Edit(OneSheet(""), "xl/workbook.xml", _ => null);
        Assert.Throws<InvalidDataException>(() => XlsxWorkbookReader.Open(new MemoryStream(noWorkbook)).Dispose());
    }

    [Fact]
    public void A_return_with_a_broken_sheet_part_is_rejected_as_a_defective_file()
    {
        var valid = File.ReadAllBytes(ReturnFiles.WriteValid(ReturnFiles.TempDir()));
        var part = SheetPart(valid, L.OzgSheet);
        var p = ReturnFiles.Validate(XlsxPackages.Edit(valid, part, t => t[..(t.Length / 2)]));

        var m = Assert.Single(p.Messages);
        Assert.Equal("Datei.Defekt", m.Rule);
    }

    [Fact]
    public void An_error_value_in_a_return_is_reported_at_its_cell_with_its_formula()
    {
        var valid = File.ReadAllBytes(ReturnFiles.WriteValid(ReturnFiles.TempDir()));
        var bytes = XlsxPackages.Edit(valid, SheetPart(valid, L.CostSheet),
            t => XlsxPackages.ReplaceCell(t, "C4", """<c r="C4" t="e"><f>1/0</f><v>#DIV/0!</v></c>"""));
        var p = ReturnFiles.Validate(bytes);

        var m = Assert.Single(p.Messages, m => m.Rule == "Typ.Fehlerwert");
        Assert.Equal((L.CostSheet, "C4", "#DIV/0!"), (m.Sheet, m.Cell, m.Value));
        Assert.Equal(
            "Die Zelle enthält den Fehlerwert #DIV/0! (Formel =1/0). Bitte die Formel korrigieren oder den Wert "
                + "direkt eintragen.", m.Text);
        Assert.Equal(Severity.Error, m.Severity);
    }

    static string SheetPart(byte[] xlsx, string sheet)
    {
        using var reader = XlsxWorkbookReader.Open(new MemoryStream(xlsx));
        return reader.Sheets.Single(s => s.Name == sheet).Part;
    }
}
