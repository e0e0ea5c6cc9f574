using System.Globalization;
using System.Text.RegularExpressions;
using ClosedXML.Excel;

namespace Reporting.Ingestion;

/// <summary>
/// The provider's own workbook with the offending cells highlighted and commented, plus a first sheet
/// "Meldungen" listing every message with a link to its cell. When the original cannot be opened (not a
/// workbook, refused for safety) or is too large to load whole, the result holds only the messages sheet and says why.
/// </summary>
public static partial class FeedbackWorkbook
{
    public const string MessagesSheet = "Meldungen";
    /// <summary>Above this many table rows (or bytes) the original is not loaded: ClosedXML needs about 1 KB per cell.</summary>
    public const int MaxRowsForAnnotation = 50_000;
    public const long MaxBytesForAnnotation = 10L * 1024 * 1024;

    static readonly XLColor ErrorFill = XLColor.FromHtml("#F8CBAD");
    static readonly XLColor WarningFill = XLColor.FromHtml("#FFE699");

    [GeneratedRegex(@"^[A-Z]{1,3}[1-9][0-9]{0,6}$")]
    private static partial Regex A1Pattern();

    public static byte[] Create(byte[] original, string fileName, ParsedReturn parsed)
    {
        var (wb, note) = OpenOriginal(original, parsed);
        using (wb)
        {
            var annotated = note is null;
            if (annotated) Annotate(wb, parsed);
            var ws = AddMessagesSheet(wb, fileName, parsed, note, annotated);
            ws.SetTabActive();
            using var ms = new MemoryStream();
            wb.SaveAs(ms);
            return ms.ToArray();
        }
    }

    static (XLWorkbook Workbook, string? Note) OpenOriginal(byte[] original, ParsedReturn parsed)
    {
        if (parsed.Messages.Any(m => m.Rule.StartsWith("Datei", StringComparison.Ordinal)))
            return (new XLWorkbook(), "Die hochgeladene Datei konnte nicht geöffnet werden; daher enthält diese Rückmeldung nur die Liste der Meldungen.");
        if (original.Length > MaxBytesForAnnotation || parsed.Supply.Count + parsed.Ozg.Count > MaxRowsForAnnotation)
            return (new XLWorkbook(), $"Die Datei ist sehr groß ({parsed.Supply.Count + parsed.Ozg.Count:N0} Zeilen); die Zellen werden daher nicht in der Datei markiert. Bitte nutzen Sie die Zellangaben in dieser Liste.");
        try
        {
            var wb = new XLWorkbook(new MemoryStream(original));
            if (wb.IsProtected) wb.Unprotect();
            return (wb, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (new XLWorkbook(), "Die hochgeladene Datei konnte für die Markierung nicht geöffnet werden; daher enthält diese Rückmeldung nur die Liste der Meldungen.");
        }
    }

    static IXLCell? Target(XLWorkbook wb, ReturnMessage m) =>
        m.Sheet.Length > 0 && A1Pattern().IsMatch(m.Cell) && wb.TryGetWorksheet(m.Sheet, out var ws) ? ws.Cell(m.Cell) : null;

    static void Annotate(XLWorkbook wb, ParsedReturn parsed)
    {
        foreach (var m in parsed.Messages)
        {
            if (Target(wb, m) is not { } cell) continue;
            var fill = cell.Style.Fill.BackgroundColor;
            if (m.Severity == Severity.Error || fill != ErrorFill) cell.Style.Fill.SetBackgroundColor(m.Severity == Severity.Error ? ErrorFill : WarningFill);
            cell.Comment.AddText($"{(m.Severity == Severity.Error ? "Fehler" : "Warnung")}: {m.Text}");
            cell.Comment.AddNewLine();
        }
    }

    static IXLWorksheet AddMessagesSheet(XLWorkbook wb, string fileName, ParsedReturn parsed, string? note, bool linked)
    {
        var name = MessagesSheet;
        for (var i = 2; wb.Worksheets.Contains(name); i++) name = $"{MessagesSheet} {i}";
        var ws = wb.Worksheets.Add(name, 1);
        var verdict = parsed.HasErrors ? "abgelehnt" : "angenommen";
        ws.Cell(1, 1).Value = $"Prüfergebnis für {Path.GetFileName(fileName)}: {verdict}";
        ws.Cell(1, 1).Style.Font.SetBold().Font.SetFontSize(14);
        ws.Cell(2, 1).Value = string.Create(CultureInfo.InvariantCulture, $"{parsed.ErrorCount} Fehler, {parsed.WarningCount} Warnungen. Fehler führen zur Ablehnung; Warnungen bitte prüfen.");
        if (note is not null)
        {
            ws.Cell(3, 1).Value = note;
            ws.Cell(3, 1).Style.Font.SetItalic().Font.SetFontColor(XLColor.DarkRed);
        }
        const int header = 5;
        string[] headers = ["Art", "Blatt", "Zelle", "Wert", "Regel", "Meldung"];
        for (var c = 0; c < headers.Length; c++) ws.Cell(header, c + 1).Value = headers[c];
        ws.Range(header, 1, header, headers.Length).Style.Font.SetBold().Fill.SetBackgroundColor(XLColor.FromHtml("#D9E1F2"));
        var row = header + 1;
        foreach (var m in parsed.Messages)
        {
            ws.Cell(row, 1).SetValue(m.Severity == Severity.Error ? "Fehler" : "Warnung");
            ws.Cell(row, 1).Style.Fill.SetBackgroundColor(m.Severity == Severity.Error ? ErrorFill : WarningFill);
            ws.Cell(row, 2).SetValue(m.Sheet);
            ws.Cell(row, 3).SetValue(m.Cell);
            if (linked && Target(wb, m) is { } target)
            {
                ws.Cell(row, 3).Hyperlink = new XLHyperlink(target);
                ws.Cell(row, 3).Style.Font.SetUnderline().Font.SetFontColor(XLColor.Blue);
            }
            ws.Cell(row, 4).SetValue(m.Value);
            ws.Cell(row, 5).SetValue(m.Rule);
            ws.Cell(row, 6).SetValue(m.Text);
            row++;
        }
        if (parsed.Messages.Count == 0) ws.Cell(row, 6).SetValue("Keine Beanstandungen.");
        double[] widths = [10, 14, 9, 24, 30, 110];
        for (var c = 0; c < widths.Length; c++) ws.Column(c + 1).Width = widths[c];
        ws.Column(6).Style.Alignment.SetWrapText(true);
        ws.SheetView.FreezeRows(header);
        if (parsed.Messages.Count > 0) ws.Range(header, 1, row - 1, headers.Length).SetAutoFilter();
        return ws;
    }
}
