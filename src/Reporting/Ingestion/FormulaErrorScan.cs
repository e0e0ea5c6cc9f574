using System.IO.Compression;
using System.Xml;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Ingestion;

/// <summary>
/// Formula cells whose stored result is an error value (#DIV/0!, #REF!, #WERT!, ...). ExcelDataReader 3.6 reads
/// such a cell as empty, so the reader alone would call it missing; the provider should hear which cell holds which
/// error. A sheet part is searched for the error cell type (a vectorised byte search over the inflated XML) and only
/// a part that has one is parsed for the cells, so a clean return pays one inflate per sheet, no XML parse.
/// </summary>
public static class FormulaErrorScan
{
    const string Rule = "Typ.Fehlerwert";
    static readonly string[] Sheets = [L.CoverSheet, L.CostSheet, L.SupplySheet, L.OzgSheet];
    static readonly byte[][] ErrorTypeMarkers = ["t=\"e\""u8.ToArray(), "t='e'"u8.ToArray()];
    const string RelationshipsNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static void Report(Stream xlsx, MessageSink sink)
    {
        xlsx.Position = 0;
        try
        {
            using var zip = new ZipArchive(xlsx, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var (sheet, part) in SheetParts(zip))
            {
                if (zip.GetEntry(part) is not { } entry || !ContainsErrorType(entry)) continue;
                foreach (var (cell, value, formula) in ErrorCells(entry))
                    sink.Error(sheet, cell, value, Rule, $"Die Zelle enthält den Fehlerwert {value}" +
                        (formula is null ? "" : $" (Formel ={formula})") + ". Bitte die Formel korrigieren oder den Wert direkt eintragen.");
            }
        }
        catch (Exception e) when (e is InvalidDataException or XmlException)
        {
            // The reader has already read this workbook; a part it tolerated is not worth a second failure here.
        }
        finally { xlsx.Position = 0; }
    }

    /// <summary>The template's data sheets and their parts, from xl/workbook.xml and its relationships.</summary>
    static IEnumerable<(string Sheet, string Part)> SheetParts(ZipArchive zip)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (zip.GetEntry("xl/_rels/workbook.xml.rels") is { } rels)
            foreach (var el in Elements(rels, "Relationship"))
                if (el.GetValueOrDefault("Id") is { } id && el.GetValueOrDefault("Target") is { } target)
                    targets[id] = target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target;
        if (zip.GetEntry("xl/workbook.xml") is not { } workbook) yield break;
        foreach (var el in Elements(workbook, "sheet"))
        {
            var name = el.GetValueOrDefault("name")?.Trim();
            var known = Sheets.FirstOrDefault(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
            if (known is not null && el.GetValueOrDefault("r:id") is { } rid && targets.TryGetValue(rid, out var part)) yield return (known, part);
        }
    }

    /// <summary>Attributes of each element with the given local name (r:id stands for the relationships namespace).</summary>
    static List<Dictionary<string, string>> Elements(ZipArchiveEntry entry, string localName)
    {
        var found = new List<Dictionary<string, string>>();
        using var xml = Open(entry);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != localName || !xml.MoveToFirstAttribute()) continue;
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            do attributes[xml.NamespaceURI == RelationshipsNs ? "r:" + xml.LocalName : xml.LocalName] = xml.Value;
            while (xml.MoveToNextAttribute());
            found.Add(attributes);
        }
        return found;
    }

    static bool ContainsErrorType(ZipArchiveEntry entry)
    {
        using var s = entry.Open();
        var buffer = new byte[1 << 16];
        var carry = 0;
        const int overlap = 4;   // a marker split across two reads is found in the next one
        int n;
        while ((n = s.Read(buffer, carry, buffer.Length - carry)) > 0)
        {
            var span = buffer.AsSpan(0, carry + n);
            foreach (var marker in ErrorTypeMarkers)
                if (span.IndexOf(marker) >= 0) return true;
            carry = Math.Min(overlap, span.Length);
            span[^carry..].CopyTo(buffer);
        }
        return false;
    }

    static IEnumerable<(string Cell, string Value, string? Formula)> ErrorCells(ZipArchiveEntry entry)
    {
        using var xml = Open(entry);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "c" || xml.GetAttribute("t") != "e") continue;
            var cell = xml.GetAttribute("r") ?? "";
            string? value = null, formula = null;
            if (!xml.IsEmptyElement)
            {
                var depth = xml.Depth;
                xml.Read();
                while (xml.Depth > depth)
                {
                    // ReadElementContentAsString moves past the element: no Read after it.
                    if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "v") value = xml.ReadElementContentAsString();
                    else if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "f") formula = xml.ReadElementContentAsString();
                    else if (!xml.Read()) break;
                }
            }
            yield return (cell, string.IsNullOrEmpty(value) ? "#FEHLER" : value, string.IsNullOrEmpty(formula) ? null : formula);
        }
    }

    static XmlReader Open(ZipArchiveEntry entry) => XmlReader.Create(entry.Open(), new XmlReaderSettings
    {
        DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true, CloseInput = true,
    });
}
