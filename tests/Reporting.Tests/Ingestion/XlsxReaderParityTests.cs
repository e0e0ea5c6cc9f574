using ClosedXML.Excel;
using ExcelDataReader;
using Reporting.Ingestion.Xlsx;

namespace Reporting.Tests.Ingestion;

/// <summary>
/// The switch from ExcelDataReader 3.6 to our reader must not change what a return reads as: every filled cell of
/// the same files comes back at the same sheet, row and column with an equal value of the same type.
/// (Rows missing from the file: ExcelDataReader makes up empty ones, ours skips them; both carry no values.)
/// </summary>
public sealed class XlsxReaderParityTests
{
    // ExcelDataReader's configuration asks for code page 1252 (for legacy .xls) even when it opens an xlsx.
    static XlsxReaderParityTests()
        => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    static List<string> Ours(byte[] bytes)
    {
        var cells = new List<string>();
        using var reader = XlsxWorkbookReader.Open(new MemoryStream(bytes));
        while (reader.NextSheet())
            while (reader.Read())
                for (var c = 0; c < reader.FieldCount; c++)
                    if (reader.GetValue(c) is { } v) cells.Add(Show(reader.Name, reader.RowNumber, c, v));
        return cells;
    }

    static List<string> ExcelDataReaders(byte[] bytes)
    {
        var cells = new List<string>();
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(new MemoryStream(bytes));
        do
            while (reader.Read())
                for (var c = 0; c < reader.FieldCount; c++)
                    if (reader.GetValue(c) is { } v) cells.Add(Show(reader.Name, reader.Depth + 1, c, v));
        while (reader.NextResult());
        return cells;
    }

    static string Show(string sheet, int row, int column, object value) =>
        FormattableString.Invariant(
            $"{sheet}!R{row}C{column}: {value.GetType().Name} {value switch
            {
                DateTime d => d.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
                double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                _ => value,
            }}");

    static void AssertSame(byte[] bytes)
    {
        var expected = ExcelDataReaders(bytes);
        var actual = Ours(bytes);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_generated_return_reads_cell_for_cell_as_with_ExcelDataReader() =>
        AssertSame(File.ReadAllBytes(ReturnFiles.WriteValid(ReturnFiles.TempDir())));

    [Fact]
    public void A_workbook_of_every_kind_of_cell_reads_as_with_ExcelDataReader()
    {
        using var wb = new XLWorkbook();
        var ws = wb.AddWorksheet("Daten");
        ws.Cell("A1").SetValue("Text mit _x0041_ und Umlauten äöü");
        ws.Cell("B1").SetValue(-1234.5678);
        ws.Cell("C1").SetValue(true);
        ws.Cell("D1").SetValue(false);
        ws.Cell("A3").SetValue(new DateTime(2025, 3, 1, 13, 45, 0));
        string[] formats = ["dd.mm.yyyy", "d. mmmm yyyy", "hh:mm:ss", "0.00\" d\"", "#,##0.00 [$€-407]", "0%",
            "mmm yy", "[$-407]dddd", "yyyy-mm-dd\\ hh:mm", "@", "[h]:mm", "mm:ss.0", "\"Tag \"d", "[Red]0.00",
                "General", "0.0E+00", "\\d0"];
        for (var i = 0; i < formats.Length; i++)
        {
            ws.Cell(4, i + 1).SetValue(45352.25 + i);
            ws.Cell(4, i + 1).Style.NumberFormat.Format = formats[i];
        }
        // Not the East Asian date ids 27-36 and 50-58: ExcelDataReader 3.6 does not know them (numbers), ours reads
        // dates.
        int[] builtIns = [0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 37, 38, 39, 40, 45, 46,
            47, 48, 49];
        for (var i = 0; i < builtIns.Length; i++)
        {
            ws.Cell(5, i + 1).SetValue(30.5 + i);
            ws.Cell(5, i + 1).Style.NumberFormat.NumberFormatId = builtIns[i];
        }
        ws.Cell("A6").SetValue(1);
        ws.Cell("A6").Style.NumberFormat.NumberFormatId = 14;   // 1 Jan 1900
        ws.Cell("B6").SetValue(59);
        ws.Cell("B6").Style.NumberFormat.NumberFormatId = 14;   // before Excel's made-up 29 Feb 1900
        ws.Cell("C6").SetValue(61);
        ws.Cell("C6").Style.NumberFormat.NumberFormatId = 14;
        ws.Cell("A8").FormulaA1 = "1+1";
        ws.Cell("Z9").SetValue("weit rechts");
        var hidden = wb.AddWorksheet("Versteckt");
        hidden.Cell("B2").SetValue(3.25);
        hidden.Visibility = XLWorksheetVisibility.Hidden;
        using var ms = new MemoryStream();
        wb.SaveAs(ms);

        AssertSame(ms.ToArray());
    }

    [Fact]
    public void Hand_built_parts_with_inline_strings_missing_rows_and_1904_dates_read_as_with_ExcelDataReader()
    {
        var bytes = XlsxPackages.Build([("Daten", "visible",
            """
            <row r="2"><c r="B2" t="s"><v>0</v></c>
              <c r="D2" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c></row>
            <row r="5"><c r="A5" t="str"><f>"x"</f><v>x</v></c><c r="B5" s="1"><v>0</v></c>
              <c r="C5" s="1"><v>43890.5</v></c><c r="D5"><v>1E3</v></c></row>
            <row r="6"><c r="A6" t="b"><v>1</v></c><c r="B6" t="s"><v>1</v></c></row>
            """)],
            sharedStrings: "<si><t>eins</t></si><si><r><t>zw</t></r><r><t>ei</t></r></si>",
            styles: "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>", date1904: true);

        AssertSame(bytes);
    }
}
