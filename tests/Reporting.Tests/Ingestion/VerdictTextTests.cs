using System.IO.Compression;
using Reporting.Ingestion;

namespace Reporting.Tests.Ingestion;

/// <summary>What a provider reads in a verdict: German sentences, never a parser's or database's own words.</summary>
public sealed class VerdictTextTests
{
    [Fact]
    public void A_workbook_the_reader_cannot_parse_is_rejected_without_the_parsers_own_message()
    {
        var valid = File.ReadAllBytes(ReturnFiles.WriteValid(ReturnFiles.TempDir()));
        string sheet;
        using (var zip = new ZipArchive(new MemoryStream(valid)))
            sheet = zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).FullName;

        var p = ReturnFiles.Validate(XlsxPackages.Edit(valid, sheet, t => t[..(t.Length / 2)]));

        var m = Assert.Single(p.Messages);
        Assert.Equal("Datei.Defekt", m.Rule);
        Assert.StartsWith($"Der Teil „{sheet}“ der Arbeitsmappe ist kein gültiges XML (Zeile ", m.Text,
            StringComparison.Ordinal);
        Assert.EndsWith("Die Datei ist beschädigt oder wurde nicht von einem Tabellenprogramm gespeichert.", m.Text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_about_the_whole_file_names_no_empty_sheet_or_cell()
    {
        var m = new ReturnMessage(Severity.Error, "", "", "x.pdf", "Datei.Typ",
            "Die Datei ist keine Excel-Arbeitsmappe.");
        var atSheet = new ReturnMessage(Severity.Warning, "Kosten", "", "", "R", "Text.");

        Assert.Equal("Fehler: Die Datei ist keine Excel-Arbeitsmappe. (Wert: 'x.pdf') [Datei.Typ]", m.ToString());
        Assert.Equal("Warnung: Kosten: Text. [R]", atSheet.ToString());
    }
}
