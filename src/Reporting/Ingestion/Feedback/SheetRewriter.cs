using System.Globalization;
using System.Text;
using System.Xml;
using Reporting.Ingestion.Xlsx;

namespace Reporting.Ingestion.Feedback;

/// <summary>
/// A cell to mark: its row (1-based), column (0-based) and whether an error (else a warning) is there.
/// </summary>
readonly record struct MarkedCell(int Row, int Column, bool Error);

/// <summary>
/// Copies a worksheet part node by node (XmlReader to XmlWriter, nothing held but the open elements): marked cells
/// get their marked style, cells and rows that are not in the file are inserted in order, no sheet stays selected
/// (the messages sheet is the active one), and a legacyDrawing reference for the comments is added in its place.
/// </summary>
static class SheetRewriter
{
    /// <summary>Worksheet children that must follow legacyDrawing (ECMA-376 order).</summary>
    static readonly HashSet<string> AfterLegacy = ["legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
        "webPublishItems", "tableParts", "extLst"];

    /// <param name="r">The provider's sheet part, opened under the upload limits.</param>
    public static void Rewrite(XmlReader r, Stream output, IReadOnlyList<MarkedCell> marks,
        Func<int, bool, int> markedStyle, string? legacyDrawingId)
    {
        var rows = new SortedDictionary<int, SortedDictionary<int, bool>>();
        foreach (var m in marks)
        {
            if (!rows.TryGetValue(m.Row, out var cells)) rows[m.Row] = cells = [];
            cells[m.Column] = cells.GetValueOrDefault(m.Column) || m.Error;
        }
        using var w = XmlWriter.Create(output,
            new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false, CheckCharacters = false,
            NewLineHandling = NewLineHandling.None });
        w.WriteStartDocument(true);
        string ns = FeedbackPackage.Main, prefix = "";
        var legacyDone = legacyDrawingId is null;
        var rowNumber = 0;
        var column = -1;
        SortedDictionary<int, bool>? rowMarks = null;
        var inSheetData = false;

        void Legacy()
        {
            w.WriteStartElement(prefix, "legacyDrawing", ns);
            w.WriteAttributeString("r", "id", FeedbackPackage.RelNs, legacyDrawingId);
            w.WriteEndElement();
            legacyDone = true;
        }
        void NewCell(int row, int col, bool error)
        {
            w.WriteStartElement(prefix, "c", ns);
            w.WriteAttributeString("r", CellValues.A1(col, row));
            w.WriteAttributeString("s", markedStyle(0, error).ToString(CultureInfo.InvariantCulture));
            w.WriteEndElement();
        }
        void CellsBefore(int col)
        {
            while (rowMarks is { Count: > 0 } && rowMarks.First() is var (c, error) && c < col)
            {
                NewCell(rowNumber, c, error);
                rowMarks.Remove(c);
            }
        }
        void RowsBefore(int row)
        {
            while (rows.Count > 0 && rows.First() is var (number, cells) && number < row)
            {
                w.WriteStartElement(prefix, "row", ns);
                w.WriteAttributeString("r", number.ToString(CultureInfo.InvariantCulture));
                foreach (var (c, error) in cells) NewCell(number, c, error);
                w.WriteEndElement();
                rows.Remove(number);
            }
        }

        while (r.Read())
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Element:
                {
                    var name = r.LocalName;
                    var depth = r.Depth;
                    var empty = r.IsEmptyElement;
                    if (depth == 0) { ns = r.NamespaceURI; prefix = r.Prefix; }
                    if (depth == 1 && !legacyDone && AfterLegacy.Contains(name)) Legacy();
                    if (depth == 1 && name == "legacyDrawing") legacyDone = true;
                    if (depth == 2 && inSheetData && name == "row")
                    {
                        var number = int.TryParse(r.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture,
                            out var n) && n > 0 ? n : rowNumber + 1;
                        RowsBefore(number);
                        rows.Remove(number, out rowMarks);
                        rowNumber = number;
                        column = -1;
                        w.WriteStartElement(r.Prefix, name, r.NamespaceURI);
                        CopyAttributes(r, w, rowMarks is null ? null : "spans");
                        if (empty) { CellsBefore(int.MaxValue); w.WriteEndElement(); rowMarks = null; }
                        continue;
                    }
                    if (depth == 3 && inSheetData && name == "c")
                    {
                        var col = r.GetAttribute("r") is { } a1 ? XlsxWorkbookReader.ColumnOf(a1, column + 1)
                            : column + 1;
                        CellsBefore(col);
                        w.WriteStartElement(r.Prefix, name, r.NamespaceURI);
                        if (rowMarks is not null && rowMarks.Remove(col, out var error))
                        {
                            var style = int.TryParse(r.GetAttribute("s"), NumberStyles.None,
                                CultureInfo.InvariantCulture, out var s) ? s : 0;
                            CopyAttributes(r, w, "s");
                            w.WriteAttributeString("s",
                                markedStyle(style, error).ToString(CultureInfo.InvariantCulture));
                        }
                        else CopyAttributes(r, w, null);
                        column = col;
                        if (empty) w.WriteEndElement();
                        continue;
                    }
                    w.WriteStartElement(r.Prefix, name, r.NamespaceURI);
                    CopyAttributes(r, w, depth == 2 && name == "sheetView" ? "tabSelected" : null);
                    if (depth == 1 && name == "sheetData")
                    {
                        inSheetData = !empty;
                        if (empty) { RowsBefore(int.MaxValue); w.WriteEndElement(); }
                        continue;
                    }
                    if (empty) w.WriteEndElement();
                    break;
                }
                case XmlNodeType.EndElement:
                    if (r.Depth == 2 && inSheetData
                        && r.LocalName == "row") { CellsBefore(int.MaxValue); rowMarks = null; }
                    else if (r.Depth == 1
                        && r.LocalName == "sheetData") { RowsBefore(int.MaxValue); inSheetData = false; }
                    else if (r.Depth == 0 && !legacyDone) Legacy();
                    w.WriteFullEndElement();
                    break;
                case XmlNodeType.Text: w.WriteString(r.Value); break;
                case XmlNodeType.CDATA: w.WriteCData(r.Value); break;
                case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace: w.WriteWhitespace(r.Value); break;
                case XmlNodeType.Comment: w.WriteComment(r.Value); break;
                case XmlNodeType.ProcessingInstruction: w.WriteProcessingInstruction(r.Name, r.Value); break;
            }
        }
        w.WriteEndDocument();
    }

    static void CopyAttributes(XmlReader r, XmlWriter w, string? except)
    {
        if (!r.MoveToFirstAttribute()) return;
        do
        {
            if (except is not null && r.LocalName == except && r.NamespaceURI.Length == 0) continue;
            w.WriteAttributeString(r.Prefix, r.LocalName, r.NamespaceURI, r.Value);
        }
        while (r.MoveToNextAttribute());
        r.MoveToElement();
    }
}
