using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Reporting.Tests.Ingestion;

/// <summary>
/// Workbooks built by hand from their XML parts, for what a spreadsheet program would not write on request
/// (missing cells and rows, inline strings, phonetic runs, error cells, the 1904 date system), and zip edits of
/// real files.
/// </summary>
public static class XlsxPackages
{
    public const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>
    /// A workbook with the given sheets (name, state, sheetData inner XML), shared strings and styles.
    /// </summary>
    public static byte[] Build(IEnumerable<(string Name, string State, string Rows)> sheets,
        string? sharedStrings = null, string? styles = null,
        bool date1904 = false, bool absoluteTargets = false)
    {
        var list = sheets.ToList();
        var parts = new Dictionary<string, string>
        {
            ["[Content_Types].xml"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
                + "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"rels\" "
                    + "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" "
                    + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "</Types>",
            ["_rels/.rels"] = $"<?xml version=\"1.0\"?><Relationships "
                + $"xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + $"<Relationship Id=\"rId1\" Type=\"{Rel}/officeDocument\" "
                    + $"Target=\"xl/workbook.xml\"/></Relationships>",
        };
        var workbook = new StringBuilder($"<?xml version=\"1.0\"?><workbook xmlns=\"{Main}\" xmlns:r=\"{Rel}\">");
        if (date1904) workbook.Append("<workbookPr date1904=\"1\"/>");
        workbook.Append("<sheets>");
        var rels = new StringBuilder(
            "<?xml version=\"1.0\"?><Relationships "
                + "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
        for (var i = 0; i < list.Count; i++)
        {
            var (name, state, rows) = list[i];
            workbook.Append(
                $"<sheet name=\"{name}\" sheetId=\"{i + 1}\"{(state == "visible" ? "" : $" state=\"{state}\"")} "
                    + $"r:id=\"rS{i + 1}\"/>");
            var target = absoluteTargets ? $"/xl/worksheets/sheet{i + 1}.xml" : $"worksheets/sheet{i + 1}.xml";
            rels.Append($"<Relationship Id=\"rS{i + 1}\" Type=\"{Rel}/worksheet\" Target=\"{target}\"/>");
            parts[$"xl/worksheets/sheet{i + 1}.xml"] = $"<?xml version=\"1.0\"?><worksheet "
                + $"xmlns=\"{Main}\"><sheetData>{rows}</sheetData></worksheet>";
        }
        workbook.Append("</sheets></workbook>");
        if (sharedStrings is not null)
        {
            rels.Append($"<Relationship Id=\"rSst\" Type=\"{Rel}/sharedStrings\" Target=\"sharedStrings.xml\"/>");
            parts["xl/sharedStrings.xml"] = $"<?xml version=\"1.0\"?><sst xmlns=\"{Main}\">{sharedStrings}</sst>";
        }
        if (styles is not null)
        {
            rels.Append($"<Relationship Id=\"rSt\" Type=\"{Rel}/styles\" Target=\"styles.xml\"/>");
            parts["xl/styles.xml"] = $"<?xml version=\"1.0\"?><styleSheet xmlns=\"{Main}\">{styles}</styleSheet>";
        }
        rels.Append("</Relationships>");
        parts["xl/workbook.xml"] = workbook.ToString();
        parts["xl/_rels/workbook.xml.rels"] = rels.ToString();
        return Zip(parts);
    }

    public static byte[] Zip(IReadOnlyDictionary<string, string> parts)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, text) in parts)
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                w.Write(text);
            }
        return ms.ToArray();
    }

    /// <summary>
    /// A copy of a package with one part's text edited (or the part removed when the edit returns null).
    /// </summary>
    public static byte[] Edit(byte[] bytes, string part, Func<string, string?> edit)
    {
        using var ms = new MemoryStream();
        ms.Write(bytes);
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry(part) ?? throw new InvalidOperationException($"no part {part}");
            string text;
            using (var r = new StreamReader(entry.Open())) text = r.ReadToEnd();
            entry.Delete();
            if (edit(text) is { } changed)
            {
                using var w = new StreamWriter(zip.CreateEntry(part).Open(), new UTF8Encoding(false));
                w.Write(changed);
            }
        }
        return ms.ToArray();
    }

    /// <summary>
    /// Replaces one cell element (ClosedXML writes prefixed names, x:c; the replacement gets the same prefix).
    /// </summary>
    public static string ReplaceCell(string sheetXml, string cell, string replacement)
    {
        var m = Regex.Match(sheetXml, $"<(\\w+:)?c r=\"{cell}\"[^>]*?(/>|>.*?</(?:\\w+:)?c>)");
        if (!m.Success) throw new InvalidOperationException($"no cell {cell}");
        var prefixed = Regex.Replace(replacement, "<(/?)(c|f|v)\\b", $"<$1{m.Groups[1].Value}$2");
        return sheetXml[..m.Index] + prefixed + sheetXml[(m.Index + m.Length)..];
    }
}
