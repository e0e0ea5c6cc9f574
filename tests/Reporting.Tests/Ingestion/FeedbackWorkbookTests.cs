using ClosedXML.Excel;
using Reporting.Ingestion;
using Reporting.Tests.Shared;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Tests.Ingestion;

public sealed class FeedbackWorkbookTests
{
    [Fact]
    public void The_feedback_is_the_providers_file_with_offending_cells_marked_and_a_linked_list_of_messages_first()
    {
        var dir = ReturnFiles.TempDir();
        var path = ReturnFiles.WriteChanged(dir, wb =>
        {
            wb.Worksheet(L.SupplySheet).Cell("A5").SetValue("05999999");
            wb.Worksheet(L.OzgSheet).Cell("E6").SetValue(9);
        });
        var parsed = ReturnFiles.Validate(path);
        Assert.Equal(2, parsed.ErrorCount);

        var bytes = FeedbackWorkbook.Create(File.ReadAllBytes(path), "ITVB-2025.xlsx", parsed);
        var feedback = Path.Combine(dir, "Rueckmeldung.xlsx");
        File.WriteAllBytes(feedback, bytes);

        using var wb = new XLWorkbook(feedback);
        Assert.Equal(1, wb.Worksheet(1).Position);
        var list = wb.Worksheet(1);
        Assert.Equal(FeedbackWorkbook.MessagesSheet, list.Name);
        Assert.Contains("abgelehnt", list.Cell(1, 1).GetString(), StringComparison.Ordinal);
        var rows = list.RowsUsed().Where(r => r.RowNumber() > 5).ToList();
        Assert.Equal(parsed.Messages.Count, rows.Count);
        var agsRow = rows.Single(r => r.Cell(3).GetString() == "A5");
        Assert.Equal("Domaene.AGS", agsRow.Cell(5).GetString());
        Assert.True(agsRow.Cell(3).HasHyperlink);

        var marked = wb.Worksheet(L.SupplySheet).Cell("A5");
        Assert.True(marked.HasComment);
        Assert.Contains("05999999", marked.Comment.Text, StringComparison.Ordinal);
        Assert.NotEqual(wb.Worksheet(L.SupplySheet).Cell("A4").Style.Fill.BackgroundColor,
            marked.Style.Fill.BackgroundColor);
        Assert.True(wb.Worksheet(L.OzgSheet).Cell("E6").HasComment);
        // The provider's data is still there.
        Assert.Equal(wb.Worksheet(L.SupplySheet).Cell("A4").GetString(), ReturnFiles.Generate().Supply[0].Ags);
    }

    [Fact]
    public void A_file_that_cannot_be_opened_gets_a_workbook_with_only_the_messages()
    {
        var original = System.Text.Encoding.UTF8.GetBytes("kein Excel");
        var parsed = ReturnFiles.Validate(original, "meldung.xlsx");
        var bytes = FeedbackWorkbook.Create(original, "meldung.xlsx", parsed);
        using var wb = new XLWorkbook(new MemoryStream(bytes));
        var ws = Assert.Single(wb.Worksheets);
        Assert.Equal(FeedbackWorkbook.MessagesSheet, ws.Name);
        Assert.Contains("nicht geöffnet", ws.Cell(3, 1).GetString(), StringComparison.Ordinal);
        Assert.Equal("Datei.Typ", ws.Cell(6, 5).GetString());
    }

    [Fact]
    public void A_large_return_is_marked_too_streamed_without_loading_it()
    {
        var dir = ReturnFiles.TempDir();
        var g = DemoReturnGenerator.Generate(ReturnFiles.Demo, ReturnFiles.Provider("KDZA"), "2025", 1, rows: 60_000);
        var path = Path.Combine(dir, "gross.xlsx");
        DemoReturnWriter.WriteStreaming(g, ReturnFiles.Catalog, path);
        var parsed = ReturnFiles.Validate(path);
        Assert.True(parsed.HasErrors);   // repeated keys beyond the key space

        var bytes = FeedbackWorkbook.Create(File.ReadAllBytes(path), "gross.xlsx", parsed);
        using var reader = Reporting.Ingestion.Xlsx.XlsxWorkbookReader.Open(new MemoryStream(bytes), leaveOpen: false);
        Assert.Equal(FeedbackWorkbook.MessagesSheet, reader.Sheets[0].Name);
        Assert.Equal(L.SupplySheet, reader.Sheets.Single(s => s.Name == L.SupplySheet).Name);
    }

    [Fact]
    public void A_marked_cell_that_is_not_in_the_file_is_added_with_its_mark_and_comment()
    {
        var dir = ReturnFiles.TempDir();
        var path = ReturnFiles.WriteValid(dir);
        var parsed = new ParsedReturn();
        parsed.Messages.Add(new(Severity.Error, L.SupplySheet, "K900", "", "Test.Regel", "Hier fehlt etwas."));
        parsed.Messages.Add(new(Severity.Warning, L.SupplySheet, "Z4", "", "Test.Regel", "Bitte prüfen."));
        using var wb = new XLWorkbook(new MemoryStream(FeedbackWorkbook.Create(File.ReadAllBytes(path), "m.xlsx",
            parsed)));
        var ws = wb.Worksheet(L.SupplySheet);
        Assert.Contains("Hier fehlt etwas.", ws.Cell("K900").Comment.Text, StringComparison.Ordinal);
        Assert.Contains("Bitte prüfen.", ws.Cell("Z4").Comment.Text, StringComparison.Ordinal);
        Assert.NotEqual(ws.Cell("Z4").Style.Fill.BackgroundColor, ws.Cell("K900").Style.Fill.BackgroundColor);
        Assert.True(wb.Worksheet(1).Cell(6, 3).HasHyperlink);
    }

    [Fact]
    public void The_feedback_on_94000_nested_runs_is_the_list_alone_and_does_not_crash_even_without_the_verdict()
    {
        // Before: ClosedXML opened the original and recursed until "Stack overflow." killed the process. A job
        // worker's thread has a smaller stack than the main thread: built on one of 1 MB here.
        byte[]? bytes = null;
        var worker = new Thread(
            () => bytes = FeedbackWorkbook.Create(HostileWorkbooks.NestedRuns(), "tief.xlsx", new ParsedReturn()),
            maxStackSize: 1024 * 1024);
        worker.Start();
        worker.Join();
        using var wb = new XLWorkbook(new MemoryStream(bytes!));
        var ws = Assert.Single(wb.Worksheets);
        // Refused under the limits as it is read, not a failed attempt to open it.
        Assert.Contains("Datei konnte nicht geöffnet werden", ws.Cell(3, 1).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_feedback_on_10000_sheets_is_the_list_alone()
    {
        var original = HostileWorkbooks.ManySheets();
        var parsed = ReturnFiles.Validate(original, "blaetter.xlsx");
        var bytes = FeedbackWorkbook.Create(original, "blaetter.xlsx", parsed);
        using var wb = new XLWorkbook(new MemoryStream(bytes));
        Assert.Equal("Datei.Blaetter", Assert.Single(wb.Worksheets).Cell(6, 5).GetString());
    }

    [Fact]
    public void Rows_of_16384_columns_are_marked_out_to_XFD_by_streaming()
    {
        var original = HostileWorkbooks.WideRows(20);
        var parsed = ReturnFiles.Validate(original, "breit.xlsx");
        parsed.Messages.Add(new(Severity.Error, L.CoverSheet, "XFD3", "1", "Test.Regel", "Ganz rechts."));
        var bytes = FeedbackWorkbook.Create(original, "breit.xlsx", parsed);

        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        using (var comments = new StreamReader(zip.GetEntry("xl/feedback/comments1.xml")!.Open()))
            Assert.Contains("ref=\"XFD3\"", comments.ReadToEnd(), StringComparison.Ordinal);
        using var reader = Reporting.Ingestion.Xlsx.XlsxWorkbookReader.Open(new MemoryStream(bytes), leaveOpen: false);
        Assert.Equal([FeedbackWorkbook.MessagesSheet, L.CoverSheet], reader.Sheets.Select(s => s.Name));
        reader.NextSheet();
        reader.NextSheet();
        var rows = 0;
        while (reader.Read()) { rows++; Assert.Equal(16_384, reader.FieldCount); }
        Assert.Equal(20, rows);
    }

    [SofficeFact]
    public void LibreOffice_opens_the_feedback_with_the_list_first_and_the_marks_and_comments_in_place()
    {
        var dir = ReturnFiles.TempDir();
        var path = ReturnFiles.WriteChanged(dir, wb => wb.Worksheet(L.SupplySheet).Cell("A5").SetValue("05999999"));
        var parsed = ReturnFiles.Validate(path);
        var feedback = Path.Combine(dir, "Rueckmeldung.xlsx");
        File.WriteAllBytes(feedback, FeedbackWorkbook.Create(File.ReadAllBytes(path), "ITVB-2025.xlsx", parsed));
        var resaved = Soffice.Convert(feedback, "xlsx", dir);

        // Read back with our own reader and the zip (ClosedXML 0.95 cannot load LibreOffice's comment drawings).
        using (var reader = Reporting.Ingestion.Xlsx.XlsxWorkbookReader.Open(File.OpenRead(resaved), leaveOpen: false))
        {
            Assert.Equal(FeedbackWorkbook.MessagesSheet, reader.Sheets[0].Name);
            reader.NextSheet();
            reader.Read();
            Assert.Contains("abgelehnt", (string)reader.GetValue(0)!, StringComparison.Ordinal);
        }
        using var zip = System.IO.Compression.ZipFile.OpenRead(resaved);
        var comments = zip.Entries.Where(e => e.Name.StartsWith("comments", StringComparison.Ordinal))
            .Select(e => new StreamReader(e.Open()).ReadToEnd()).ToList();
        Assert.Contains(comments, c => c.Contains("ref=\"A5\"", StringComparison.Ordinal)
            && c.Contains("05999999", StringComparison.Ordinal));
    }
}
