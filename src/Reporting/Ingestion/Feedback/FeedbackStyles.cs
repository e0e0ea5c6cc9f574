using System.Globalization;
using System.Xml.Linq;

namespace Reporting.Ingestion.Feedback;

/// <summary>
/// The styles the feedback adds to a workbook's styles part (or to a fresh one): fonts and fills for the messages
/// sheet, and per original cell style and severity a copy with the error or warning fill, so a marked cell keeps
/// its number format, font and borders. The part is loaded whole only when small, under the upload limits.
/// </summary>
sealed class FeedbackStyles
{
    public const string ErrorColor = "FFF8CBAD";
    public const string WarningColor = "FFFFE699";
    const string HeaderColor = "FFD9E1F2";

    readonly XDocument doc;
    readonly XNamespace ns;
    readonly XElement cellXfs;
    readonly int originalXfs;
    readonly List<XElement> original;
    readonly Dictionary<(int Style, bool Error), int> marked = [];
    int errorFill, warningFill;

    public int Title { get; }
    public int Note { get; }
    public int Header { get; }
    public int ErrorCell { get; }
    public int WarningCell { get; }
    public int Link { get; }
    public int Wrap { get; }

    // Concatenated rather than one raw literal so that the lines stay short and the bytes stay exactly these.
    public const string Fresh = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""" + "\n"
        + """<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"""
        + """<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>"""
        + """<fills count="2"><fill><patternFill patternType="none"/></fill>"""
        + """<fill><patternFill patternType="gray125"/></fill></fills>"""
        + """<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"""
        + """<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"""
        + """<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>"""
        + """<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>""";

    static readonly string[] Order = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
        "dxfs", "tableStyles", "colors", "extLst"];

    public FeedbackStyles(XDocument doc)
    {
        this.doc = doc;
        var root = doc.Root ?? throw new InvalidDataException("styles part without a root");
        ns = root.Name.Namespace;
        var fonts = Ensure(root, "fonts");
        var fills = Ensure(root, "fills");
        Ensure(root, "borders");
        cellXfs = Ensure(root, "cellXfs");
        if (!fills.Elements().Any())
        {
            fills.Add(new XElement(ns + "fill",
                new XElement(ns + "patternFill", new XAttribute("patternType", "none"))));
            fills.Add(new XElement(ns + "fill",
                new XElement(ns + "patternFill", new XAttribute("patternType", "gray125"))));
        }
        if (!fonts.Elements().Any()) fonts.Add(Font());
        var borders = root.Element(ns + "borders")!;
        if (!borders.Elements().Any()) borders.Add(new XElement(ns + "border"));
        if (!cellXfs.Elements().Any()) cellXfs.Add(Xf(0, 0));
        original = [.. cellXfs.Elements(ns + "xf")];
        originalXfs = original.Count;

        var title = Add(fonts, Font(bold: true, size: 14));
        var bold = Add(fonts, Font(bold: true));
        var note = Add(fonts, Font(italic: true, color: "FF8B0000"));
        var link = Add(fonts, Font(underline: true, color: "FF0000FF"));
        errorFill = Add(fills, Fill(ErrorColor));
        warningFill = Add(fills, Fill(WarningColor));
        var header = Add(fills, Fill(HeaderColor));
        Title = AddXf(Xf(title, 0));
        Note = AddXf(Xf(note, 0));
        Header = AddXf(Xf(bold, header));
        ErrorCell = AddXf(Xf(0, errorFill));
        WarningCell = AddXf(Xf(0, warningFill));
        Link = AddXf(Xf(link, 0));
        var wrap = Xf(0, 0);
        wrap.Add(new XAttribute("applyAlignment", "1"),
            new XElement(ns + "alignment", new XAttribute("wrapText", "1"), new XAttribute("vertical", "top")));
        Wrap = AddXf(wrap);
    }

    /// <summary>The style for a marked cell: its own style with the error (or warning) fill.</summary>
    public int Marked(int style, bool error)
    {
        if (style < 0 || style >= originalXfs) style = 0;
        if (marked.TryGetValue((style, error), out var index)) return index;
        var copy = new XElement(original[style]);
        copy.SetAttributeValue("fillId", (error ? errorFill : warningFill).ToString(CultureInfo.InvariantCulture));
        copy.SetAttributeValue("applyFill", "1");
        index = AddXf(copy);
        marked[(style, error)] = index;
        return index;
    }

    public XDocument Finish()
    {
        foreach (var list in doc.Root!.Elements().Where(e => e.Attribute("count") is not null
            || e.Name.LocalName is "fonts" or "fills" or "cellXfs"))
            list.SetAttributeValue("count",
                list.Elements().Count(e => e.Name.LocalName != "extLst").ToString(CultureInfo.InvariantCulture));
        return doc;
    }

    XElement Ensure(XElement root, string name)
    {
        if (root.Element(ns + name) is { } found) return found;
        var created = new XElement(ns + name);
        var at = Array.IndexOf(Order, name);
        var before = root.Elements().FirstOrDefault(e => Array.IndexOf(Order, e.Name.LocalName) > at);
        if (before is null) root.Add(created); else before.AddBeforeSelf(created);
        return created;
    }

    int AddXf(XElement xf) => Add(cellXfs, xf);

    static int Add(XElement list, XElement item)
    {
        var count = list.Elements().Count(e => e.Name.LocalName != "extLst");
        if (list.Elements().LastOrDefault(e
            => e.Name.LocalName != "extLst") is { } last) last.AddAfterSelf(item); else list.AddFirst(item);
        return count;
    }

    XElement Xf(int font, int fill) => new(ns + "xf",
        new XAttribute("numFmtId", "0"), new XAttribute("fontId", font), new XAttribute("fillId", fill),
            new XAttribute("borderId", "0"),
        new XAttribute("xfId", "0"), new XAttribute("applyFont", "1"), new XAttribute("applyFill", "1"));

    XElement Fill(string rgb) => new(ns + "fill",
        new XElement(ns + "patternFill", new XAttribute("patternType", "solid"),
        new XElement(ns + "fgColor", new XAttribute("rgb", rgb)),
            new XElement(ns + "bgColor", new XAttribute("indexed", "64"))));

    XElement Font(bool bold = false, bool italic = false, bool underline = false, double size = 11,
        string? color = null)
    {
        var font = new XElement(ns + "font");
        if (bold) font.Add(new XElement(ns + "b"));
        if (italic) font.Add(new XElement(ns + "i"));
        if (underline) font.Add(new XElement(ns + "u"));
        font.Add(new XElement(ns + "sz", new XAttribute("val", size.ToString(CultureInfo.InvariantCulture))));
        if (color is not null) font.Add(new XElement(ns + "color", new XAttribute("rgb", color)));
        font.Add(new XElement(ns + "name", new XAttribute("val", "Calibri")));
        return font;
    }
}
