using System.IO.Compression;
using System.Xml;

namespace Reporting.Ingestion.Xlsx;

/// <summary>
/// What an OOXML package holds, decided by its parts, not by strings anywhere in [Content_Types].xml.
/// </summary>
public enum XlsxKind { Workbook, Binary, Macros, NoWorkbook }

/// <summary>
/// The type of a package: the content type of the part the package's officeDocument relationship points to
/// (an Override for that part, else the Default for its extension), and whether a VBA project part exists.
/// A Default that no part uses changes nothing.
/// </summary>
public static class XlsxPackageType
{
    public const string WorkbookType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
    public const string TemplateType = "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml";
    public const string BinaryType = "application/vnd.ms-excel.sheet.binary.macroEnabled.main";
    public const string MacroType = "application/vnd.ms-excel.sheet.macroEnabled.main+xml";
    public const string VbaType = "application/vnd.ms-office.vbaProject";
    const string OfficeDocument = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
    const string StrictOfficeDocument = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument";

    /// <summary>The parts read here are read under <paramref name="limits"/>, as every other part.</summary>
    public static XlsxKind Classify(ZipArchive zip, ZipArchiveEntry contentTypes, XlsxLimits limits)
    {
        var (defaults, overrides) = ContentTypes(contentTypes, limits);
        string? TypeOf(string part)
        {
            if (overrides.TryGetValue("/" + part, out var t)) return t;
            var dot = part.LastIndexOf('.');
            return dot >= 0 && defaults.TryGetValue(part[(dot + 1)..], out var d) ? d : null;
        }

        foreach (var e in zip.Entries)
        {
            if (e.FullName.EndsWith('/')) continue;
            if (e.Name.Equals("vbaProject.bin", StringComparison.OrdinalIgnoreCase)
                || string.Equals(TypeOf(e.FullName), VbaType, StringComparison.OrdinalIgnoreCase))
                return XlsxKind.Macros;
        }

        var main = MainPart(zip, limits);
        if (main is null) return XlsxKind.NoWorkbook;
        var type = TypeOf(main.FullName)?.Trim() ?? "";
        if (type.Equals(WorkbookType, StringComparison.OrdinalIgnoreCase)
            || type.Equals(TemplateType, StringComparison.OrdinalIgnoreCase))
            return XlsxKind.Workbook;
        if (type.Equals(BinaryType, StringComparison.OrdinalIgnoreCase)) return XlsxKind.Binary;
        if (type.Contains("macroEnabled", StringComparison.OrdinalIgnoreCase)) return XlsxKind.Macros;
        return XlsxKind.NoWorkbook;
    }

    /// <summary>
    /// The part the officeDocument relationship names; without package relationships, the usual names.
    /// </summary>
    public static ZipArchiveEntry? MainPart(ZipArchive zip, XlsxLimits limits)
    {
        if (XlsxParts.Find(zip, "_rels/.rels") is { } rels)
        {
            using var xml = limits.Open(rels);
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "Relationship") continue;
                if (xml.GetAttribute("Type") is OfficeDocument or StrictOfficeDocument
                    && xml.GetAttribute("TargetMode") is not "External"
                    && xml.GetAttribute("Target") is { } target)
                    return XlsxParts.Find(zip, XlsxParts.Resolve("", target));
            }
            return null;
        }
        return XlsxParts.Find(zip, "xl/workbook.xml") ?? XlsxParts.Find(zip, "xl/workbook.bin");
    }

    static (Dictionary<string, string> Defaults,
        Dictionary<string, string> Overrides) ContentTypes(ZipArchiveEntry entry, XlsxLimits limits)
    {
        var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var overrides = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var xml = limits.Open(entry);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element) continue;
            var type = xml.GetAttribute("ContentType");
            if (type is null) continue;
            if (xml.LocalName == "Default"
                && xml.GetAttribute("Extension") is { } ext) defaults.TryAdd(ext.TrimStart('.'), type);
            else if (xml.LocalName == "Override" && xml.GetAttribute("PartName") is { } name)
                overrides.TryAdd(name.StartsWith('/') ? name : "/" + name, type);
        }
        return (defaults, overrides);
    }
}
