using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Reporting.Ingestion.Xlsx;

namespace Reporting.Ingestion.Feedback;

/// <summary>
/// Builds the feedback package from the provider's package entry by entry, without a DOM over the provider's
/// bytes: worksheets are streamed through <see cref="SheetRewriter"/>, every other part is copied as it is, and only
/// small bookkeeping parts (content types, workbook, relationships, styles; each at most <see cref="MaxSmallPart"/>)
/// are loaded as XDocument. Every part it parses is read under the upload limits (<see cref="XlsxLimits"/>), as the
/// workbook reader reads them. Only entries with a valid part name are written, each once: no path of the
/// provider's zip (../, absolute, duplicates) reaches the feedback. Adds the messages sheet first, comments on marked
/// cells.
/// </summary>
static partial class FeedbackPackage
{
    public const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    public const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const string PackageRels = "http://schemas.openxmlformats.org/package/2006/relationships";
    const string ContentTypesNs = "http://schemas.openxmlformats.org/package/2006/content-types";
    const string WorksheetType = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
    const string StylesType = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";
    const string CommentsType = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
    const string VmlType = "application/vnd.openxmlformats-officedocument.vmlDrawing";
    const long MaxSmallPart = 4L << 20;
    /// <summary>
    /// Comments per sheet: one VML id block holds 1,024 shapes; the messages sheet lists every message anyway.
    /// </summary>
    const int MaxCommentsPerSheet = 1000;

    /// <summary>
    /// The package cannot be annotated (a bookkeeping part missing or too large); the caller falls back to the list.
    /// </summary>
    public sealed class UnusableException(string reason) : Exception(reason);

    [GeneratedRegex(@"^[A-Z]{1,3}[1-9][0-9]{0,6}$")]
    private static partial Regex A1Pattern();

    public static void WriteMessagesOnly(Stream output, string fileName, ParsedReturn parsed, string note)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        // The parts are concatenated from short literals: no whitespace between the tags, the bytes stay the same.
        Text(zip, "[Content_Types].xml", XmlDeclaration
            + $"""<Types xmlns="{ContentTypesNs}"><Default Extension="xml" ContentType="application/xml"/>"""
            + """<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"""
            + $"""<Override PartName="/xl/workbook.xml" ContentType="{XlsxPackageType.WorkbookType}"/>"""
            + $"""<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{WorksheetType}"/>"""
            + $"""<Override PartName="/xl/styles.xml" ContentType="{StylesType}"/></Types>""");
        Text(zip, "_rels/.rels", XmlDeclaration
            + $"""<Relationships xmlns="{PackageRels}">"""
            + $"""<Relationship Id="rId1" Type="{RelNs}/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Text(zip, "xl/workbook.xml", XmlDeclaration
            + $"""<workbook xmlns="{Main}" xmlns:r="{RelNs}"><bookViews><workbookView activeTab="0"/></bookViews>"""
            + $"""<sheets><sheet name="{FeedbackWorkbook.MessagesSheet}" sheetId="1" r:id="rId1"/></sheets>"""
            + $"""{FilterName(FeedbackWorkbook.MessagesSheet, parsed)}</workbook>""");
        Text(zip, "xl/_rels/workbook.xml.rels", XmlDeclaration
            + $"""<Relationships xmlns="{PackageRels}">"""
            + $"""<Relationship Id="rId1" Type="{RelNs}/worksheet" Target="worksheets/sheet1.xml"/>"""
            + $"""<Relationship Id="rId2" Type="{RelNs}/styles" Target="styles.xml"/></Relationships>""");
        var styles = new FeedbackStyles(XDocument.Parse(FeedbackStyles.Fresh));
        using (var s = zip.CreateEntry("xl/worksheets/sheet1.xml").Open()) MessagesSheet.Write(s, fileName, parsed,
            note, styles, _ => null);
        Save(zip, "xl/styles.xml", styles.Finish());
    }

    const string XmlDeclaration = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""";

    static string FilterName(string sheet, ParsedReturn parsed) => parsed.Messages.Count == 0 ? "" :
        $"<definedNames><definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" "
            + $"hidden=\"1\">{FilterRange(sheet, parsed)}</definedName></definedNames>";

    static string FilterRange(string sheet, ParsedReturn parsed) =>
        $"'{sheet.Replace("'", "''", StringComparison.Ordinal)}'!"
        + $"$A${MessagesSheet.HeaderRow}:$F${MessagesSheet.LastRow(parsed)}";

    public static void Annotate(ZipArchive source, Stream output, string fileName, ParsedReturn parsed,
        XlsxLimits limits)
    {
        var main = XlsxPackageType.MainPart(source, limits) ?? throw new UnusableException("no workbook part");
        var workbookPath = main.FullName;
        if (!IsPartName(workbookPath)) throw new UnusableException("the workbook part has no valid part name");
        var dir = workbookPath.Contains('/') ? workbookPath[..(workbookPath.LastIndexOf('/') + 1)] : "";
        var relsPath = dir + "_rels/" + workbookPath[dir.Length..] + ".rels";
        var workbook = LoadSmall(main, limits);
        var rels = LoadSmall(XlsxParts.Find(source, relsPath)
            ?? throw new UnusableException("no workbook relationships"), limits);
        var contentTypesEntry = XlsxParts.Find(source, "[Content_Types].xml")
            ?? throw new UnusableException("no content types");
        var contentTypes = LoadSmall(contentTypesEntry, limits);
        var relations = rels.Root!.Elements().Where(e => e.Name.LocalName == "Relationship"
            && (string?)e.Attribute("TargetMode") != "External")
            .Select(e => (Id: (string?)e.Attribute("Id") ?? "", Type: (string?)e.Attribute("Type") ?? "",
                Path: XlsxParts.Resolve(dir, (string?)e.Attribute("Target") ?? "")))
            .ToList();

        // The shared strings are copied, not parsed, but go back to the provider: held to the reader's limits too.
        if (relations.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Path is
            { Length: > 0 } sst && XlsxParts.Find(source, sst) is { } sstEntry)
            XlsxParts.CheckSharedStrings(sstEntry, limits);

        var wbNs = workbook.Root!.Name.Namespace;
        var sheetsElement = workbook.Root.Element(wbNs + "sheets") ?? throw new UnusableException("no sheets");
        var sheets = new List<(string Name, string Path)>();
        foreach (var sheet in sheetsElement.Elements(wbNs + "sheet"))
        {
            limits.Sheet(workbookPath);
            var id = sheet.Attributes().FirstOrDefault(a => a.Name.LocalName == "id"
                && a.Name.NamespaceName.Length > 0)?.Value;
            var rel = relations.FirstOrDefault(r => r.Id == id);
            if (rel.Type.EndsWith("/worksheet", StringComparison.Ordinal)
                && XlsxParts.Find(source, rel.Path) is { } entry && IsPartName(entry.FullName))
                sheets.Add(((string?)sheet.Attribute("name") ?? "", entry.FullName));
        }

        var stylesRel = relations.FirstOrDefault(r => r.Type.EndsWith("/styles", StringComparison.Ordinal));
        var stylesEntry = stylesRel.Path is { Length: > 0 } sp && XlsxParts.Find(source, sp) is { } se
            && IsPartName(se.FullName) ? se : null;
        var styles = new FeedbackStyles(stylesEntry is null ? XDocument.Parse(FeedbackStyles.Fresh)
            : LoadSmall(stylesEntry, limits));

        // Messages to cells: the sheet by name (as Excel, case-blind), the cell by its A1 address.
        var marks = new Dictionary<string, List<MarkedCell>>(StringComparer.Ordinal);
        var texts = new Dictionary<(string Part, int Row, int Column), StringBuilder>();
        string? SheetPart(ReturnMessage m) =>
            m.Sheet.Length > 0 && A1Pattern().IsMatch(m.Cell)
                ? sheets.FirstOrDefault(s => string.Equals(s.Name, m.Sheet, StringComparison.OrdinalIgnoreCase)).Path
                : null;
        // The workbook's own spelling of the sheet, quoted for a formula reference.
        string QuotedSheetName(string sheet) =>
            sheets.First(x => string.Equals(x.Name, sheet, StringComparison.OrdinalIgnoreCase)).Name
                .Replace("'", "''", StringComparison.Ordinal);
        foreach (var m in parsed.Messages)
        {
            if (SheetPart(m) is not { } part) continue;
            var column = XlsxWorkbookReader.ColumnOf(m.Cell, 0);
            var row = int.Parse(m.Cell.AsSpan(m.Cell.IndexOfAny("0123456789".ToCharArray())),
                CultureInfo.InvariantCulture);
            if (column >= XlsxWorkbookReader.MaxColumns || row > 1_048_576) continue;
            if (!marks.TryGetValue(part, out var list)) marks[part] = list = [];
            list.Add(new MarkedCell(row, column, m.Severity == Severity.Error));
            if (!texts.TryGetValue((part, row, column), out var text)) texts[(part, row,
                column)] = text = new StringBuilder();
            text.Append(m.Severity == Severity.Error ? "Fehler: " : "Warnung: ").Append(m.Text).Append('\n');
        }

        var folder = "xl/feedback/";
        for (var k = 2; source.Entries.Any(e => e.FullName.StartsWith(folder,
            StringComparison.OrdinalIgnoreCase)); k++) folder = $"xl/feedback{k}/";
        var replaced = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { contentTypesEntry.FullName,
            workbookPath, relsPath };
        if (stylesEntry is not null) replaced.Add(stylesEntry.FullName);
        var ctRoot = contentTypes.Root!;
        XNamespace ctNs = ctRoot.Name.Namespace;
        void Override(string part,
            string type) => ctRoot.Add(new XElement(ctNs + "Override", new XAttribute("PartName", "/" + part),
            new XAttribute("ContentType", type)));

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var ordinal = 0;
        foreach (var (_, part) in sheets.DistinctBy(s => s.Path))
        {
            ordinal++;
            var cells = marks.GetValueOrDefault(part) ?? [];
            var sheetDir = part[..(part.LastIndexOf('/') + 1)];
            var sheetRelsPath = sheetDir + "_rels/" + part[sheetDir.Length..] + ".rels";
            var sheetRelsEntry = XlsxParts.Find(source, sheetRelsPath);
            XDocument? sheetRels = null;
            if (cells.Count > 0 && (sheetRelsEntry is null || sheetRelsEntry.Length <= MaxSmallPart))
            {
                sheetRels = sheetRelsEntry is null
                    ? new XDocument(new XElement(XName.Get("Relationships", PackageRels)))
                    : LoadSmall(sheetRelsEntry, limits);
                if (sheetRels.Root!.Elements().Any(e => ((string?)e.Attribute("Type") ?? "").EndsWith("/comments",
                    StringComparison.Ordinal)
                                                       || ((string?)e.Attribute("Type") ?? "").EndsWith("/vmlDrawing",
                                                           StringComparison.Ordinal)))
                    sheetRels = null;   // the sheet has comments of its own: mark by fill only, the list says the rest
            }
            string? vmlId = null;
            if (sheetRels is not null)
            {
                var rNs = sheetRels.Root!.Name.Namespace;
                vmlId = UniqueId(sheetRels, "rIdFbVml");
                var commentsId = UniqueId(sheetRels, "rIdFbComments");
                var commentsPart = $"{folder}comments{ordinal}.xml";
                var vmlPart = $"{folder}vmlDrawing{ordinal}.vml";
                sheetRels.Root.Add(new XElement(rNs + "Relationship", new XAttribute("Id", vmlId),
                    new XAttribute("Type", RelNs + "/vmlDrawing"), new XAttribute("Target", "/" + vmlPart)));
                sheetRels.Root.Add(new XElement(rNs + "Relationship", new XAttribute("Id", commentsId),
                    new XAttribute("Type", RelNs + "/comments"), new XAttribute("Target", "/" + commentsPart)));
                var notes = cells.Select(c => (c.Row,
                    c.Column)).Distinct().OrderBy(c => c.Row).ThenBy(c => c.Column).Take(MaxCommentsPerSheet)
                    .Select(c => (c.Row, c.Column, Text: texts[(part, c.Row, c.Column)].ToString())).ToList();
                using (var s = zip.CreateEntry(commentsPart).Open()) FeedbackComments.WriteComments(s, notes);
                using (var s = zip.CreateEntry(vmlPart).Open()) FeedbackComments.WriteVml(s, notes, ordinal);
                Save(zip, sheetRelsPath, sheetRels);
                replaced.Add(sheetRelsPath);
                Override(commentsPart, CommentsType);
                Override(vmlPart, VmlType);
            }
            using (var input = limits.Open(XlsxParts.Find(source, part)!))
            using (var s = zip.CreateEntry(part).Open())
                SheetRewriter.Rewrite(input, s, cells, styles.Marked, vmlId);
            replaced.Add(part);
        }

        // The messages sheet, first and active.
        var messagesPart = folder + "meldungen.xml";
        var names = sheetsElement.Elements(wbNs + "sheet").Select(s => (string?)s.Attribute("name")
            ?? "").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var messagesName = FeedbackWorkbook.MessagesSheet;
        for (var i = 2; names.Contains(messagesName); i++) messagesName = $"{FeedbackWorkbook.MessagesSheet} {i}";
        using (var s = zip.CreateEntry(messagesPart).Open())
            MessagesSheet.Write(s, fileName, parsed, null, styles, m => SheetPart(m) is not null
                ? $"'{QuotedSheetName(m.Sheet)}'!{m.Cell}" : null);
        Override(messagesPart, WorksheetType);
        var sheetRelId = UniqueId(rels, "rIdFbSheet");
        rels.Root!.Add(new XElement(rels.Root.Name.Namespace + "Relationship", new XAttribute("Id", sheetRelId),
            new XAttribute("Type", RelNs + "/worksheet"), new XAttribute("Target", "/" + messagesPart)));
        if (stylesEntry is null)
        {
            var stylesPart = folder + "styles.xml";
            rels.Root.Add(new XElement(rels.Root.Name.Namespace + "Relationship",
                new XAttribute("Id", UniqueId(rels, "rIdFbStyles")), new XAttribute("Type", RelNs + "/styles"),
                new XAttribute("Target", "/" + stylesPart)));
            Override(stylesPart, StylesType);
            Save(zip, stylesPart, styles.Finish());
        }
        else Save(zip, stylesEntry.FullName, styles.Finish());
        UpdateWorkbook(workbook, sheetsElement, messagesName, sheetRelId, parsed);
        Save(zip, workbookPath, workbook);
        Save(zip, relsPath, rels);
        Save(zip, contentTypesEntry.FullName, contentTypes);

        foreach (var entry in source.Entries)
        {
            // Written already, a folder, a name no package part may have, or a second entry of the same name.
            if (!IsPartName(entry.FullName) || !replaced.Add(entry.FullName)) continue;
            using var from = entry.Open();
            using var to = zip.CreateEntry(entry.FullName, CompressionLevel.Fastest).Open();
            from.CopyTo(to);
        }
    }

    static void UpdateWorkbook(XDocument workbook, XElement sheetsElement, string messagesName, string relId,
        ParsedReturn parsed)
    {
        var ns = workbook.Root!.Name.Namespace;
        var idName = sheetsElement.Elements(ns + "sheet").SelectMany(s => s.Attributes()).FirstOrDefault(a
            => a.Name.LocalName == "id" && a.Name.NamespaceName.Length > 0)?.Name
                     ?? XName.Get("id", RelNs);
        var maxId = sheetsElement.Elements(ns + "sheet").Select(s => int.TryParse((string?)s.Attribute("sheetId"),
            NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).DefaultIfEmpty(0).Max();
        sheetsElement.AddFirst(new XElement(ns + "sheet", new XAttribute("name", messagesName),
            new XAttribute("sheetId", maxId + 1), new XAttribute(idName, relId)));
        workbook.Root.Element(ns
            + "workbookProtection")?.Remove();   // the list is added as a sheet; the provider edits and re-uploads
        foreach (var view in workbook.Root.Elements(ns + "bookViews").Elements(ns + "workbookView"))
        {
            view.SetAttributeValue("activeTab", "0");
            view.SetAttributeValue("firstSheet", null);
        }
        var definedNames = workbook.Root.Element(ns + "definedNames");
        foreach (var name in definedNames?.Elements(ns + "definedName") ?? [])
            if (int.TryParse((string?)name.Attribute("localSheetId"), NumberStyles.None, CultureInfo.InvariantCulture,
                out var local))
                name.SetAttributeValue("localSheetId", local + 1);
        if (parsed.Messages.Count == 0) return;
        if (definedNames is null)
        {
            definedNames = new XElement(ns + "definedNames");
            var after = workbook.Root.Elements().LastOrDefault(e
                => e.Name.LocalName is "sheets" or "functionGroups" or "externalReferences") ?? sheetsElement;
            after.AddAfterSelf(definedNames);
        }
        definedNames.Elements(ns + "definedName").Where(e => (string?)e.Attribute("name") == "_xlnm._FilterDatabase"
            && (string?)e.Attribute("localSheetId") == "0").Remove();
        definedNames.AddFirst(new XElement(ns + "definedName", new XAttribute("name", "_xlnm._FilterDatabase"),
            new XAttribute("localSheetId", "0"),
            new XAttribute("hidden", "1"), FilterRange(messagesName, parsed)));
    }

    static string UniqueId(XDocument rels, string stem)
    {
        var ids = rels.Root!.Elements().Select(e => (string?)e.Attribute("Id")).ToHashSet(StringComparer.Ordinal);
        var id = stem;
        for (var i = 2; ids.Contains(id); i++) id = stem + i.ToString(CultureInfo.InvariantCulture);
        return id;
    }

    static XDocument LoadSmall(ZipArchiveEntry entry, XlsxLimits limits)
    {
        if (entry.Length > MaxSmallPart) throw new UnusableException(
            $"{entry.FullName} is larger than {MaxSmallPart} bytes");
        using var xml = limits.Open(entry);
        return XDocument.Load(xml);
    }

    /// <summary>
    /// A part name as OPC allows it (ECMA-376 part 2, 6.2.2), as a zip entry name: relative, segments of unreserved
    /// characters, none empty, none "." or "..", none ending in a dot; [Content_Types].xml besides.
    /// </summary>
    internal static bool IsPartName(string name) =>
        name == "[Content_Types].xml"
        || (PartNamePattern().IsMatch(name) && !name.Split('/').Any(s => s.EndsWith('.')));

    [GeneratedRegex(@"^[A-Za-z0-9\-._~!$&'()*+,;=:@%]+(/[A-Za-z0-9\-._~!$&'()*+,;=:@%]+)*$")]
    private static partial Regex PartNamePattern();

    static void Save(ZipArchive zip, string name, XDocument doc)
    {
        using var s = zip.CreateEntry(name).Open();
        using var w = XmlWriter.Create(s, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        doc.Save(w);
    }

    static void Text(ZipArchive zip, string name, string text)
    {
        using var w = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        w.Write(text);
    }

    /// <summary>
    /// Characters XML 1.0 cannot carry (a provider's cell may hold them, and messages quote cells) become U+FFFD.
    /// </summary>
    public static string XmlSafe(string s)
    {
        var bad = -1;
        for (var i = 0; i < s.Length && bad < 0; i++)
            if (!XmlConvert.IsXmlChar(s[i])
                && !(char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])
                && ++i > 0)) bad = i;
        if (bad < 0) return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length
                && char.IsLowSurrogate(s[i + 1])) { sb.Append(s, i, 2); i++; }
            else sb.Append(XmlConvert.IsXmlChar(s[i]) ? s[i] : '\uFFFD');
        }
        return sb.ToString();
    }
}
