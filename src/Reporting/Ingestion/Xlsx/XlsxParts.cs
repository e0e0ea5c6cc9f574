using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Reporting.Ingestion.Xlsx;

/// <summary>
/// The workbook-level parts, read once when a workbook is opened: the package relationships (where the workbook
/// part is), workbook.xml (sheets in order with name and state, the 1904 date system), its relationships (each sheet's
/// part, shared strings, styles), the shared strings and the cell styles' number formats.
/// </summary>
static class XlsxParts
{
    const string DefaultWorkbook = "xl/workbook.xml";

    public sealed record Loaded(IReadOnlyList<XlsxSheet> Sheets, bool Date1904, string[] SharedStrings,
        XlsxStyles Styles);

    public static Loaded Load(ZipArchive zip, XlsxNames names, XlsxText text, XlsxLimits limits)
    {
        var workbookPart = PackageRelationships(zip, names, limits).FirstOrDefault(r
            => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Target ?? DefaultWorkbook;
        var workbook = Find(zip, workbookPart) ?? Find(zip, DefaultWorkbook)
            ?? throw new InvalidDataException("Die Datei enthält keine Arbeitsmappe (xl/workbook.xml fehlt).");
        workbookPart = workbook.FullName;
        var relations = Relationships(zip, workbookPart, names, limits);
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in relations) targets.TryAdd(r.Id, r.Target);

        var sheets = new List<XlsxSheet>();
        var date1904 = false;
        using (var xml = limits.Open(workbook, names.Table))
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element) continue;
                if (xml.LocalName == "workbookPr")
                    date1904 = xml.GetAttribute("date1904") is "1" or "true";
                else if (xml.LocalName == "sheet")
                {
                    limits.Sheet(workbookPart);
                    string? id = null;
                    if (xml.MoveToFirstAttribute())
                    {
                        do if (xml.LocalName == "id" && xml.NamespaceURI.Length > 0) id = xml.Value;
                        while (xml.MoveToNextAttribute());
                        xml.MoveToElement();
                    }
                    var name = xml.GetAttribute("name") ?? "";
                    var state = xml.GetAttribute("state") is { Length: > 0 } s ? s : "visible";
                    var part = id is not null && targets.TryGetValue(id, out var t) ? t : "";
                    sheets.Add(new XlsxSheet(name, state, part));
                }
            }

        string? PartOf(string type, string fallback) =>
            relations.FirstOrDefault(r => r.Type.EndsWith(type, StringComparison.Ordinal)).Target is { } p
                && Find(zip, p) is not null ? p
            : Find(zip, fallback) is not null ? fallback : null;
        var shared = PartOf("/sharedStrings", "xl/sharedStrings.xml") is { } sst
            ? SharedStrings(Find(zip, sst)!, names, text, limits) : [];
        var styles = PartOf("/styles", "xl/styles.xml") is { } st
            ? Styles(Find(zip, st)!, names, limits) : XlsxStyles.None;
        return new Loaded(sheets, date1904, shared, styles);
    }

    /// <summary>
    /// A part by name; zip writers differ in case (xl/SharedStrings.xml), so a case-blind match is the fallback.
    /// </summary>
    public static ZipArchiveEntry? Find(ZipArchive zip, string path)
    {
        if (path.Length == 0) return null;
        return zip.GetEntry(path)
            ?? zip.Entries.FirstOrDefault(e => string.Equals(e.FullName, path, StringComparison.OrdinalIgnoreCase));
    }

    readonly record struct Relationship(string Id, string Type, string Target);

    static List<Relationship> PackageRelationships(ZipArchive zip, XlsxNames names, XlsxLimits limits)
        => ReadRelationships(Find(zip, "_rels/.rels"), "", names, limits);

    /// <summary>A part's relationships (dir/_rels/name.rels), targets resolved to zip paths.</summary>
    static List<Relationship> Relationships(ZipArchive zip, string part, XlsxNames names, XlsxLimits limits)
    {
        var slash = part.LastIndexOf('/');
        var dir = slash < 0 ? "" : part[..(slash + 1)];
        return ReadRelationships(Find(zip, dir + "_rels/" + part[(slash + 1)..] + ".rels"), dir, names,
            limits);
    }

    static List<Relationship> ReadRelationships(ZipArchiveEntry? entry, string baseDir, XlsxNames names,
        XlsxLimits limits)
    {
        var found = new List<Relationship>();
        if (entry is null) return found;
        using var xml = limits.Open(entry, names.Table);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "Relationship") continue;
            if (xml.GetAttribute("TargetMode") is "External") continue;
            if (xml.GetAttribute("Id") is { } id && xml.GetAttribute("Target") is { } target)
                found.Add(new Relationship(id, xml.GetAttribute("Type") ?? "", Resolve(baseDir, target)));
        }
        return found;
    }

    /// <summary>
    /// A relationship target as a zip path: "/xl/worksheets/sheet1.xml" from the root, "worksheets/sheet1.xml" from the
    /// source's folder.
    /// </summary>
    internal static string Resolve(string baseDir, string target)
    {
        target = target.Replace('\\', '/');
        var path = target.StartsWith('/') ? target[1..] : baseDir + target;
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..") { if (segments.Count > 0) segments.RemoveAt(segments.Count - 1); continue; }
            segments.Add(segment);
        }
        return string.Join('/', segments);
    }

    /// <summary>
    /// Every si wherever it stands (as Excel reads them), each counted against the shared-string limits.
    /// </summary>
    static string[] SharedStrings(ZipArchiveEntry entry, XlsxNames names, XlsxText text, XlsxLimits limits,
        bool keep = true)
    {
        var si = names.Table.Add("si");
        using var xml = limits.Open(entry, names.Table);
        var strings = new List<string>();
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element) continue;
            if (xml.LocalName == "sst" && int.TryParse(xml.GetAttribute("uniqueCount") ?? xml.GetAttribute("count"),
                NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                strings.Capacity = Math.Min(count, 1 << 20);   // a hint only: a hostile count must not allocate
            else if (ReferenceEquals(xml.LocalName, si))
            {
                text.Length = 0;
                text.AppendRich(xml, names);
                limits.SharedString(entry.FullName, text.Length);
                if (keep) strings.Add(Unescape(text.ToString(0)));
            }
        }
        return [.. strings];
    }

    /// <summary>
    /// Reads a shared-strings part under the limits as the reader does, keeping nothing (for a consumer that copies
    /// the part rather than reading it).
    /// </summary>
    public static void CheckSharedStrings(ZipArchiveEntry entry, XlsxLimits limits)
    {
        var names = new XlsxNames();
        SharedStrings(entry, names, new XlsxText(limits), limits, keep: false);
    }

    static XlsxStyles Styles(ZipArchiveEntry entry, XlsxNames names, XlsxLimits limits)
    {
        var cellFormats = new List<int>();
        var custom = new Dictionary<int, string>();
        using var xml = limits.Open(entry, names.Table);
        var cellXfsDepth = -1;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "cellXfs") cellXfsDepth = -1;
            if (xml.NodeType != XmlNodeType.Element) continue;
            switch (xml.LocalName)
            {
                case "cellXfs" when !xml.IsEmptyElement:
                    cellXfsDepth = xml.Depth;
                    break;
                case "xf" when cellXfsDepth >= 0 && xml.Depth == cellXfsDepth + 1:
                    cellFormats.Add(int.TryParse(xml.GetAttribute("numFmtId"), NumberStyles.None,
                        CultureInfo.InvariantCulture, out var id) ? id : 0);
                    break;
                case "numFmt":
                    if (int.TryParse(xml.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture,
                        out var fid) && xml.GetAttribute("formatCode") is { } code)
                        custom[fid] = code;
                    break;
            }
        }
        return XlsxStyles.From(cellFormats, custom);
    }

    /// <summary>
    /// OOXML writes characters XML cannot carry (control characters) as _xHHHH_, and a literal "_x" as _x005F_x;
    /// decoded as ExcelDataReader does.
    /// </summary>
    public static string Unescape(string s)
    {
        var at = s.IndexOf("_x", StringComparison.Ordinal);
        if (at < 0) return s;
        var sb = new StringBuilder(s.Length);
        sb.Append(s, 0, at);
        for (var i = at; i < s.Length; i++)
        {
            if (s[i] == '_' && i + 6 < s.Length && s[i + 1] == 'x' && s[i + 6] == '_'
                && ushort.TryParse(s.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture,
                    out var code))
            {
                sb.Append((char)code);
                i += 6;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }
}
