using System.Xml;

namespace Reporting.Ingestion.Xlsx;

/// <summary>
/// A reusable character buffer for cell and string text, so a number or a shared-string index is parsed from the
/// XML without a string per cell. Text nodes are copied with ReadValueChunk.
/// </summary>
sealed class XlsxText(XlsxLimits limits)
{
    char[] buffer = new char[256];
    readonly int max = limits.Options.MaxTextNodeChars;

    public int Length { get; set; }
    public ReadOnlySpan<char> Span => buffer.AsSpan(0, Length);
    public string ToString(int from) => new(buffer, from, Length - from);

    /// <summary>
    /// Appends the text content of the current element (v, f, t) and leaves the reader on its end tag. Text split by
    /// child elements is joined, and what is held stays within the text limit however many nodes it comes in.
    /// </summary>
    public void Append(XmlReader xml)
    {
        if (xml.IsEmptyElement) return;
        var depth = xml.Depth;
        if (!xml.Read()) throw new XmlException("Unexpected end of a part.");
        while (xml.Depth > depth)
        {
            switch (xml.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA
                    or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    int n;
                    do
                    {
                        if (Length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                        n = xml.ReadValueChunk(buffer, Length, buffer.Length - Length);
                        Length += n;
                        if (Length > max) limits.CheckText(xml is LimitedXmlReader l ? l.Part : "", Length);
                    }
                    while (n > 0);
                    break;
                case XmlNodeType.Element:
                    xml.Skip();   // no markup belongs in a value; Skip already stands on the next node
                    continue;
            }
            if (!xml.Read()) throw new XmlException("Unexpected end of a part.");
        }
    }

    /// <summary>
    /// Appends a rich text element's text (is, si): its t and the t of its runs r; not phonetic runs (rPh).
    /// </summary>
    public void AppendRich(XmlReader xml, XlsxNames names)
    {
        if (xml.IsEmptyElement) return;
        var depth = xml.Depth;
        if (!xml.Read()) throw new XmlException("Unexpected end of a part.");
        while (xml.Depth > depth)
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                if (ReferenceEquals(xml.LocalName, names.T)) Append(xml);
                else if (!ReferenceEquals(xml.LocalName, names.R)) { xml.Skip(); continue; }
            }
            if (!xml.Read()) throw new XmlException("Unexpected end of a part.");
        }
    }
}

/// <summary>The element and attribute names, atomised in one name table, so the reader compares references.</summary>
sealed class XlsxNames
{
    public NameTable Table { get; } = new();
    public string Row { get; }
    public string C { get; }
    public string V { get; }
    public string F { get; }
    public string Is { get; }
    public string T { get; }
    public string R { get; }
    public string S { get; }
    public string SheetData { get; }

    public XlsxNames()
    {
        Row = Table.Add("row");
        C = Table.Add("c");
        V = Table.Add("v");
        F = Table.Add("f");
        Is = Table.Add("is");
        T = Table.Add("t");
        R = Table.Add("r");
        S = Table.Add("s");
        SheetData = Table.Add("sheetData");
    }
}
