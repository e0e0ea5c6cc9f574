using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Reporting.Ingestion;

namespace Reporting.Tests.Ingestion;

/// <summary>
/// The type of an upload comes from its parts: the workbook part's content type and a VBA project part.
/// </summary>
public sealed partial class PackageTypeTests
{
    const string Types = "http://schemas.openxmlformats.org/package/2006/content-types";

    static Dictionary<string, byte[]> Parts(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            return ms.ToArray();
        });
    }

    static byte[] Zip(IEnumerable<KeyValuePair<string, byte[]>> parts)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in parts)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(bytes);
            }
        return ms.ToArray();
    }

    [GeneratedRegex("""t="inlineStr"([^>]*)><is><t(?: [^>]*)?>([^<]*)</t></is>""")]
    private static partial Regex InlineCell();

    /// <summary>
    /// As a widely used JavaScript library writes: no shared strings (text as t="str" values), a Default for every
    /// extension it might use (.bin registered as the binary workbook type, .vml) and an Override per part.
    /// </summary>
    static byte[] LikeAJavaScriptWriter(string streamedReturn, string extraDefaults = "")
    {
        var parts = Parts(streamedReturn);
        var overrides = new StringBuilder();
        var result = new Dictionary<string, byte[]>();
        foreach (var (name, bytes) in parts)
        {
            if (name == "[Content_Types].xml") continue;
            var data = bytes;
            if (name.StartsWith("xl/worksheets/", StringComparison.Ordinal))
                data = Encoding.UTF8.GetBytes(InlineCell().Replace(Encoding.UTF8.GetString(bytes),
                    "t=\"str\"$1><v>$2</v>"));
            result[name] = data;
            var type = name switch
            {
                "xl/workbook.xml" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                "xl/styles.xml" => "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
                "docProps/core.xml" => "application/vnd.openxmlformats-package.core-properties+xml",
                "docProps/app.xml" => "application/vnd.openxmlformats-officedocument.extended-properties+xml",
                "docProps/custom.xml" => "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                _ when name.StartsWith("xl/worksheets/sheet",
                    StringComparison.Ordinal)
                        => "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
                _ => null,
            };
            if (type is not null) overrides.Append($"<Override PartName=\"/{name}\" ContentType=\"{type}\"/>");
        }
        // One line without whitespace, as the JavaScript writer emits it; split only to keep lines short.
        var ct = $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="{Types}">"""
            + """<Default Extension="xml" ContentType="application/xml"/>"""
            + """<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>"""
            + """<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>"""
            + """<Default Extension="data" ContentType="application/vnd.openxmlformats-officedocument.model+data"/>"""
            + """<Default Extension="bmp" ContentType="image/bmp"/><Default Extension="png" ContentType="image/png"/>"""
            + """<Default Extension="rels" """
            + """ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"""
            + $"""{extraDefaults}{overrides}</Types>""";
        result["[Content_Types].xml"] = Encoding.UTF8.GetBytes(ct);
        return Zip(result);
    }

    static (DemoReturnGenerator.Generated Facts, string Path) Streamed(string code = "WTIT")
    {
        var g = ReturnFiles.Generate(code, "2025", seed: 5);
        var path = Path.Combine(ReturnFiles.TempDir(), $"{code}-2025.xlsx");
        DemoReturnWriter.WriteStreaming(g, ReturnFiles.Catalog, path);
        return (g, path);
    }

    static void AssertSameFacts(DemoReturnGenerator.Generated g, ParsedReturn p)
    {
        Assert.False(p.HasErrors, ReturnFiles.Dump(p));
        Assert.Equal(g.Cover, p.Cover);
        Assert.Equal(g.Supply, p.Supply);
        Assert.Equal(g.Ozg, p.Ozg);
        Assert.Equal(g.Costs.Select(c => (c.ServiceCode, c.CostType, c.Amount)),
            p.Costs.Select(c => (c.ServiceCode, c.CostType, c.Amount)));
    }

    [Fact]
    public void A_workbook_without_shared_strings_and_with_unused_Default_types_such_as_bin_is_accepted_with_its_facts()
    {
        var (g, path) = Streamed();
        var bytes = LikeAJavaScriptWriter(path);
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            Assert.DoesNotContain(zip.Entries,
                e => e.FullName.Contains("sharedStrings", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(zip.Entries, e => e.FullName.EndsWith(".bin", StringComparison.Ordinal));
        }
        AssertSameFacts(g, ReturnFiles.Validate(bytes, "WTIT-2025.xlsx", uploader: "WTIT"));
    }

    [Fact]
    public void An_unused_Default_for_the_VBA_project_type_does_not_make_a_workbook_a_macro_workbook()
    {
        var (g, path) = Streamed();
        var bytes = LikeAJavaScriptWriter(path,
            "<Default Extension=\"vba\" ContentType=\"application/vnd.ms-office.vbaProject\"/>");
        AssertSameFacts(g, ReturnFiles.Validate(bytes, "WTIT-2025.xlsx", uploader: "WTIT"));
    }

    [Fact]
    public void A_workbook_part_of_the_macro_type_is_refused_as_a_macro_workbook_even_without_a_VBA_part()
    {
        var (_, path) = Streamed();
        var bytes = XlsxPackages.Edit(File.ReadAllBytes(path), "[Content_Types].xml", t => t.Replace(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                "application/vnd.ms-excel.sheet.macroEnabled.main+xml", StringComparison.Ordinal));
        var p = ReturnFiles.Validate(bytes, "meldung.xlsx");
        Assert.Contains(p.Messages, m => m.Rule == "Datei.Makros");
    }

    [Fact]
    public void A_VBA_project_part_under_another_name_is_found_by_its_content_type()
    {
        var (_, path) = Streamed();
        var parts = Parts(path);
        parts["xl/code.dat"] = [0xCC, 0x61, 0x00];
        parts["[Content_Types].xml"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(parts["[Content_Types].xml"])
            .Replace("</Types>",
                "<Override PartName=\"/xl/code.dat\" ContentType=\"application/vnd.ms-office.vbaProject\"/></Types>",
                StringComparison.Ordinal));
        var p = ReturnFiles.Validate(Zip(parts), "meldung.xlsx");
        Assert.Contains(p.Messages, m => m.Rule == "Datei.Makros");
    }

    [Fact]
    public void The_workbook_part_is_the_one_the_officeDocument_relationship_names_and_its_type_decides()
    {
        var (_, path) = Streamed();
        var parts = Parts(path);
        // An xlsx workbook part beside it does not help when the package's main part is binary.
        parts["xl/workbook.bin"] = [0x83, 0x01, 0x00];
        parts["_rels/.rels"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(parts["_rels/.rels"])
            .Replace("xl/workbook.xml", "xl/workbook.bin", StringComparison.Ordinal));
        parts["[Content_Types].xml"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(parts["[Content_Types].xml"])
            .Replace("</Types>",
                "<Override PartName=\"/xl/workbook.bin\" "
                    + "ContentType=\"application/vnd.ms-excel.sheet.binary.macroEnabled.main\"/></Types>",
                        StringComparison.Ordinal));
        var p = ReturnFiles.Validate(Zip(parts), "meldung.xlsx");
        Assert.Contains(p.Messages, m => m.Rule == "Datei.Xlsb");
    }

    [Fact]
    public void A_package_whose_main_part_is_not_a_workbook_is_refused_as_not_a_workbook()
    {
        var (_, path) = Streamed();
        var bytes = XlsxPackages.Edit(File.ReadAllBytes(path), "[Content_Types].xml", t => t.Replace(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                StringComparison.Ordinal));
        var p = ReturnFiles.Validate(bytes, "meldung.xlsx");
        Assert.Contains(p.Messages, m => m.Rule == "Datei.Typ");
    }
}
