using System.Globalization;
using System.Text;
using System.Xml;

namespace Reporting.Ingestion.Feedback;

/// <summary>
/// The comments part of a sheet and the VML shapes Excel needs to show them (hidden notes, shown on hover).
/// </summary>
static class FeedbackComments
{
    public static void WriteComments(Stream output, IReadOnlyList<(int Row, int Column, string Text)> notes)
    {
        using var w = XmlWriter.Create(output,
            new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = false });
        const string ns = FeedbackPackage.Main;
        w.WriteStartDocument(true);
        w.WriteStartElement("comments", ns);
        w.WriteStartElement("authors", ns);
        w.WriteElementString("author", ns, "Prüfung");
        w.WriteEndElement();
        w.WriteStartElement("commentList", ns);
        foreach (var (row, column, text) in notes)
        {
            w.WriteStartElement("comment", ns);
            w.WriteAttributeString("ref", CellValues.A1(column, row));
            w.WriteAttributeString("authorId", "0");
            w.WriteStartElement("text", ns);
            w.WriteStartElement("r", ns);
            w.WriteStartElement("t", ns);
            w.WriteAttributeString("xml", "space", null, "preserve");
            w.WriteString(FeedbackPackage.XmlSafe(text));
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    /// <param name="block">The sheet's VML id block (shape ids block*1024+1 ...), unique in the workbook.</param>
    public static void WriteVml(Stream output, IReadOnlyList<(int Row, int Column, string Text)> notes, int block)
    {
        using var w = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        var c = CultureInfo.InvariantCulture;
        w.Write(
            "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" "
                + "xmlns:x=\"urn:schemas-microsoft-com:office:excel\">");
        w.Write(string.Create(c,
            $"<o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{block}\"/></o:shapelayout>"));
        w.Write(
            "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" "
                + "path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" "
                    + "o:connecttype=\"rect\"/></v:shapetype>");
        for (var i = 0; i < notes.Count; i++)
        {
            var (row, column, _) = notes[i];
            w.Write(string.Create(c,
                $"<v:shape id=\"_x0000_s{block * 1024 + i + 1}\" type=\"#_x0000_t202\" "
                    + $"style=\"position:absolute;margin-left:60pt;margin-top:2pt;width:240pt;height:80pt;"
                    + $"z-index:{i + 1};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\">"));
            w.Write(
                "<v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path "
                    + "o:connecttype=\"none\"/><v:textbox style=\"mso-direction-alt:auto\"><div "
                        + "style=\"text-align:left\"></div></v:textbox>");
            w.Write(string.Create(c,
                $"<x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{column + 1}, 15, "
                    + $"{Math.Max(0, row - 2)}, 10, {column + 5}, 15, {row + 4}, "
                        + $"4</x:Anchor><x:AutoFill>False</x:AutoFill>"
                        + $"<x:Row>{row - 1}</x:Row><x:Column>{column}</x:Column></x:ClientData></v:shape>"));
        }
        w.Write("</xml>");
    }
}
