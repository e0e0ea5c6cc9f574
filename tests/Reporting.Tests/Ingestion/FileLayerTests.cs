using System.IO.Compression;
using System.Text;
using Reporting.Ingestion;
using Reporting.Uploads;

namespace Reporting.Tests.Ingestion;

/// <summary>Layer 1: what may be opened at all, decided from the bytes and the zip directory.</summary>
public sealed class FileLayerTests
{
    static void AssertRefused(ParsedReturn p, string rule)
    {
        Assert.True(p.HasErrors, "expected an error");
        Assert.Contains(p.Messages, m => m.Rule == rule);
        Assert.Null(p.Cover);   // nothing was parsed
        Assert.Empty(p.Ozg);
    }

    static byte[] Rezip(string path, Action<ZipArchive> change)
    {
        var bytes = File.ReadAllBytes(path);
        using var ms = new MemoryStream();
        ms.Write(bytes);
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true)) change(zip);
        return ms.ToArray();
    }

    static void Replace(ZipArchive zip, string name, Func<string, string> edit)
    {
        var entry = zip.GetEntry(name)!;
        string text;
        using (var r = new StreamReader(entry.Open())) text = r.ReadToEnd();
        entry.Delete();
        using var w = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        w.Write(edit(text));
    }

    [Fact]
    public void A_file_over_the_configured_size_is_refused_before_reading()
    {
        var path = ReturnFiles.WriteValid(ReturnFiles.TempDir());
        AssertRefused(ReturnFiles.Validate(path, limits: new UploadsOptions { MaxUploadBytes = 10_000 }),
            "Datei.Groesse");
    }

    [Fact]
    public void A_text_file_named_xlsx_is_recognised_by_its_content()
    {
        AssertRefused(ReturnFiles.Validate(Encoding.UTF8.GetBytes("AGS;OZG-ID\n05811000;10001\n"), "meldung.xlsx"),
            "Datei.Typ");
    }

    [Fact]
    public void A_legacy_xls_is_refused_with_a_hint_to_save_as_xlsx()
    {
        var p = ReturnFiles.Validate(CompoundFiles.Build("Workbook", "\u0005SummaryInformation"), "meldung.xlsx");
        AssertRefused(p, "Datei.Xls");
        Assert.Contains(".xlsx", p.Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_protected_workbook_is_refused_as_encrypted()
    {
        AssertRefused(ReturnFiles.Validate(CompoundFiles.Build("EncryptionInfo", "EncryptedPackage"), "meldung.xlsx"),
            "Datei.Verschluesselt");
    }

    [Fact]
    public void A_macro_workbook_is_refused()
    {
        var path = ReturnFiles.WriteValid(ReturnFiles.TempDir());
        var bytes = Rezip(path, zip =>
        {
            using (var s = zip.CreateEntry("xl/vbaProject.bin").Open()) s.Write(new byte[] { 1, 2, 3 });
            Replace(zip, "[Content_Types].xml", t
                => t.Replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                "application/vnd.ms-excel.sheet.macroEnabled.main+xml", StringComparison.Ordinal));
        });
        AssertRefused(ReturnFiles.Validate(bytes, "meldung.xlsm"), "Datei.Makros");
    }

    [Fact]
    public void A_binary_xlsb_workbook_is_refused()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var w = new StreamWriter(zip.CreateEntry("[Content_Types].xml").Open()))
                w.Write(
                    "<?xml version=\"1.0\"?><Types "
                        + "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override "
                            + "PartName=\"/xl/workbook.bin\" "
                                + "ContentType=\"application/vnd.ms-excel.sheet.binary.macroEnabled.main\"/></Types>");
            using (var s = zip.CreateEntry("xl/workbook.bin").Open()) s.Write(new byte[] { 0x83, 0x01, 0x00 });
        }
        AssertRefused(ReturnFiles.Validate(ms.ToArray(), "meldung.xlsx"), "Datei.Xlsb");
    }

    [Fact]
    public void A_zip_bomb_is_refused_from_its_compression_ratio_without_inflating_it()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var w = new StreamWriter(zip.CreateEntry("[Content_Types].xml").Open())) w.Write("<Types/>");
            using var s = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 50; i++) s.Write(zeros);   // 50 MB of zeros compress to about 50 KB
        }
        var p = ReturnFiles.Validate(ms.ToArray(), "bombe.xlsx");
        AssertRefused(p, "Datei.Zipbombe");
        Assert.Contains("komprimiert", p.Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workbook_whose_uncompressed_size_exceeds_the_limit_is_refused()
    {
        var path = ReturnFiles.WriteValid(ReturnFiles.TempDir());
        var p = ReturnFiles.Validate(path, limits: new UploadsOptions { MaxUncompressedBytes = 100_000 });
        AssertRefused(p, "Datei.Zipbombe");
        Assert.Contains("entpackte", p.Messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_part_with_a_DTD_is_refused()
    {
        var path = ReturnFiles.WriteValid(ReturnFiles.TempDir());
        var bytes = Rezip(path, zip => Replace(zip, "xl/workbook.xml", t =>
            t.Insert(t.IndexOf("?>", StringComparison.Ordinal) + 2, "<!DOCTYPE workbook [<!ENTITY x \"x\">]>")));
        var p = ReturnFiles.Validate(bytes, "dtd.xlsx");
        AssertRefused(p, "Datei.Dtd");
        Assert.Equal("xl/workbook.xml", p.Messages[0].Value);
    }

    [SofficeFact]
    public void An_OpenDocument_spreadsheet_is_refused()
    {
        var dir = ReturnFiles.TempDir();
        var ods = Soffice.Convert(ReturnFiles.WriteValid(dir), "ods", dir);
        AssertRefused(ReturnFiles.Validate(File.ReadAllBytes(ods), "meldung.xlsx"), "Datei.Ods");
    }
}
