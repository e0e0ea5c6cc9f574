using System.Globalization;
using System.Text;
using System.Xml;

namespace Reporting.Ingestion.Feedback;

/// <summary>
/// The sheet "Meldungen" written as XML: the verdict, counts, an optional note, then one row per message (Art,
/// Blatt, Zelle, Wert, Regel, Meldung) with a link to the marked cell where there is one. Text as inline strings.
/// </summary>
static class MessagesSheet
{
    public const int HeaderRow = 5;
    static readonly string[] Headers = ["Art", "Blatt", "Zelle", "Wert", "Regel", "Meldung"];
    static readonly double[] Widths = [10, 14, 9, 24, 30, 110];

    /// <param name="linkTo">The "'Sheet'!A1" location of a message's cell, or null when the cell is not in the
    /// file.</param>
    public static void Write(Stream output, string fileName, ParsedReturn parsed, string? note, FeedbackStyles styles,
        Func<ReturnMessage, string?> linkTo)
    {
        using var w = XmlWriter.Create(output,
            new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false });
        const string ns = FeedbackPackage.Main;
        w.WriteStartDocument(true);
        w.WriteStartElement("worksheet", ns);
        w.WriteAttributeString("xmlns", "r", null, FeedbackPackage.RelNs);
        var last = HeaderRow + Math.Max(1, parsed.Messages.Count);
        Empty(w, "dimension", ("ref", $"A1:F{last}"));
        w.WriteStartElement("sheetViews", ns);
        w.WriteStartElement("sheetView", ns);
        w.WriteAttributeString("tabSelected", "1");
        w.WriteAttributeString("workbookViewId", "0");
        Empty(w, "pane", ("ySplit", HeaderRow.ToString(CultureInfo.InvariantCulture)),
            ("topLeftCell", $"A{HeaderRow + 1}"), ("activePane", "bottomLeft"), ("state", "frozen"));
        Empty(w, "selection", ("pane", "bottomLeft"), ("activeCell", $"A{HeaderRow + 1}"),
            ("sqref", $"A{HeaderRow + 1}"));
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("cols", ns);
        for (var c = 0; c < Widths.Length; c++)
        {
            var n = (c + 1).ToString(CultureInfo.InvariantCulture);
            if (c == Widths.Length - 1)
                Empty(w, "col", ("min", n), ("max", n), ("width", Widths[c].ToString(CultureInfo.InvariantCulture)),
                    ("style", Num(styles.Wrap)), ("customWidth", "1"));
            else Empty(w, "col", ("min", n), ("max", n), ("width", Widths[c].ToString(CultureInfo.InvariantCulture)),
                ("customWidth", "1"));
        }
        w.WriteEndElement();

        w.WriteStartElement("sheetData", ns);
        var verdict = parsed.HasErrors ? "abgelehnt" : "angenommen";
        Row(w, 1, [(0, $"Prüfergebnis für {Path.GetFileName(fileName)}: {verdict}", styles.Title)]);
        Row(w, 2, [(0,
            string.Create(CultureInfo.InvariantCulture,
            $"{parsed.ErrorCount} Fehler, {parsed.WarningCount} Warnungen. Fehler führen zur Ablehnung; Warnungen "
                + $"bitte prüfen."), 0)]);
        if (note is not null) Row(w, 3, [(0, note, styles.Note)]);
        Row(w, HeaderRow, Headers.Select((h, i) => (i, h, styles.Header)).ToList());
        var row = HeaderRow + 1;
        var links = new List<(string Cell, string Location, string Display)>();
        foreach (var m in parsed.Messages)
        {
            var error = m.Severity == Severity.Error;
            var location = linkTo(m);
            if (location is not null) links.Add(($"C{row}", location, m.Cell));
            Row(w, row, [
                (0, error ? "Fehler" : "Warnung", error ? styles.ErrorCell : styles.WarningCell), (1, m.Sheet, 0),
                (2, m.Cell, location is null ? 0 : styles.Link), (3, m.Value, 0), (4, m.Rule, 0),
                    (5, m.Text, styles.Wrap)]);
            row++;
        }
        if (parsed.Messages.Count == 0) Row(w, row, [(5, "Keine Beanstandungen.", styles.Wrap)]);
        w.WriteEndElement();
        if (parsed.Messages.Count > 0) Empty(w, "autoFilter", ("ref", $"A{HeaderRow}:F{row - 1}"));
        if (links.Count > 0)
        {
            w.WriteStartElement("hyperlinks", ns);
            foreach (var (cell, location, display) in links) Empty(w, "hyperlink", ("ref", cell),
                ("location", location), ("display", display));
            w.WriteEndElement();
        }
        Empty(w, "pageMargins", ("left", "0.7"), ("right", "0.7"), ("top", "0.78740157499999996"),
            ("bottom", "0.78740157499999996"), ("header", "0.3"), ("footer", "0.3"));
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    /// <summary>The last filled row (the autofilter's end), for the workbook's _FilterDatabase name.</summary>
    public static int LastRow(ParsedReturn parsed) => HeaderRow + Math.Max(1, parsed.Messages.Count);

    static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    static void Empty(XmlWriter w, string name, params (string Name, string Value)[] attributes)
    {
        w.WriteStartElement(name, FeedbackPackage.Main);
        foreach (var (n, v) in attributes) w.WriteAttributeString(n, v);
        w.WriteEndElement();
    }

    static void Row(XmlWriter w, int row, IReadOnlyList<(int Column, string Text, int Style)> cells)
    {
        w.WriteStartElement("row", FeedbackPackage.Main);
        w.WriteAttributeString("r", Num(row));
        foreach (var (column, text, style) in cells)
        {
            w.WriteStartElement("c", FeedbackPackage.Main);
            w.WriteAttributeString("r", CellValues.A1(column, row));
            if (style != 0) w.WriteAttributeString("s", Num(style));
            w.WriteAttributeString("t", "inlineStr");
            w.WriteStartElement("is", FeedbackPackage.Main);
            w.WriteStartElement("t", FeedbackPackage.Main);
            w.WriteAttributeString("xml", "space", null, "preserve");
            w.WriteString(FeedbackPackage.XmlSafe(text));
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }
}
