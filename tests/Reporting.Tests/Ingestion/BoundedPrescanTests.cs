using Reporting.Ingestion;
using Reporting.Tests.Shared;
using Reporting.Uploads;

namespace Reporting.Tests.Ingestion;

/// <summary>
/// Every XML part is read under limits by whatever opens it; over a limit is a German verdict.
/// </summary>
public sealed class BoundedPrescanTests
{
    static ParsedReturn Refused(byte[] bytes, string rule, UploadsOptions? limits = null)
    {
        var p = ReturnFiles.Validate(bytes, "angriff.xlsx", limits: limits);
        Assert.True(p.HasErrors);
        var m = Assert.Single(p.Messages);
        Assert.Equal(rule, m.Rule);
        Assert.Contains("Sicherheitsgründen", m.Text, StringComparison.Ordinal);
        return p;
    }

    [Fact]
    public void Shared_strings_with_94000_nested_runs_in_62_KB_are_refused_for_their_depth()
    {
        var bytes = HostileWorkbooks.NestedRuns();
        Assert.InRange(bytes.Length, 1, 100_000);
        Refused(bytes, "Datei.Verschachtelung");
    }

    [Fact]
    public void A_workbook_of_10000_sheets_is_refused_for_its_number_of_sheets()
    {
        // How fast: the benchmark's 'hostile' variant measures it; a test asserts no time.
        Refused(HostileWorkbooks.ManySheets(), "Datei.Blaetter");
    }

    [Fact]
    public void More_shared_strings_than_the_limit_are_refused_before_the_reader_holds_them()
    {
        var limits = new UploadsOptions { MaxSharedStrings = 100_000 };
        Refused(HostileWorkbooks.ManySharedStrings(100_001), "Datei.Texte", limits);
    }

    [Fact]
    public void Shared_strings_longer_together_than_the_limit_are_refused()
    {
        var limits = new UploadsOptions { MaxSharedStringChars = 300_000 };
        Refused(HostileWorkbooks.ManySharedStrings(100_000), "Datei.Texte", limits);
    }

    [Theory]
    [InlineData(false, "xl/sharedStrings.xml")]
    [InlineData(true, "xl/worksheets/sheet1.xml")]
    public void A_text_longer_than_an_Excel_cell_holds_is_refused_naming_its_part(bool inline, string part)
    {
        var p = Refused(HostileWorkbooks.LongText(40_000, inline), "Datei.Textlaenge");
        Assert.Contains(part, Assert.Single(p.Messages).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_of_exactly_the_limit_passes_the_text_length_check_and_the_limit_is_configurable()
    {
        var atLimit = ReturnFiles.Validate(HostileWorkbooks.LongText(32_767, inline: true), "lang.xlsx");
        Assert.DoesNotContain(atLimit.Messages, m => m.Rule == "Datei.Textlaenge");
        Refused(HostileWorkbooks.LongText(1_001), "Datei.Textlaenge", new UploadsOptions { MaxTextNodeChars = 1_000 });
    }

    [Fact]
    public void The_limits_are_configurable_elements_and_attributes_among_them()
    {
        Refused(HostileWorkbooks.WideRows(1), "Datei.Elemente", new UploadsOptions { MaxXmlElements = 10_000 });
        Refused(HostileWorkbooks.ManySheets(3), "Datei.Attribute", new UploadsOptions { MaxXmlAttributes = 2 });
    }

    [Fact]
    public void A_row_of_16384_columns_gets_a_German_verdict()
    {
        var p = ReturnFiles.Validate(HostileWorkbooks.WideRows(20), "breit.xlsx");
        Assert.True(p.HasErrors);
        Assert.Contains(p.Messages, m => m.Rule == "Vorlage.Kennung");
    }

    [Fact]
    public void A_return_of_the_template_keeps_every_limit()
    {
        var p = ReturnFiles.Validate(ReturnFiles.WriteValid(ReturnFiles.TempDir()), uploader: "ITVB");
        Assert.False(p.HasErrors, ReturnFiles.Dump(p));
    }
}
