using System.IO.Compression;
using System.Text;
using ClosedXML.Excel;
using Reporting.Ingestion;
using Reporting.Ingestion.Xlsx;
using Reporting.Tests.Shared;
using Reporting.Uploads;
using static Reporting.Tests.Shared.HostileWorkbooks;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Tests.Ingestion;

/// <summary>
/// The limits hold where the bytes are read: the reader, the feedback and the type detection enforce them on every
/// part they open, whatever the part looks like (padded, renamed root, strings one level deeper, split text).
/// </summary>
public sealed class XlsxLimitsTests
{
    static ReturnMessage Refused(byte[] bytes, string rule, UploadsOptions? limits = null)
    {
        var p = ReturnFiles.Validate(bytes, "angriff.xlsx", limits: limits);
        var m = Assert.Single(p.Messages);
        Assert.Equal(rule, m.Rule);
        Assert.Equal(Severity.Error, m.Severity);
        Assert.Contains("Sicherheitsgründen", m.Text, StringComparison.Ordinal);
        Assert.Null(p.Cover);
        Assert.Empty(p.Supply);
        return m;
    }

    static void ReadAll(byte[] bytes, UploadsOptions limits)
    {
        using var reader = XlsxWorkbookReader.Open(new MemoryStream(bytes), limits: limits);
        while (reader.NextSheet()) while (reader.Read()) { }
    }

    [Theory]
    [InlineData(SharedStringsShape.Padded)]
    [InlineData(SharedStringsShape.RenamedRoot)]
    [InlineData(SharedStringsShape.Deeper)]
    public void Shared_strings_over_the_limit_are_refused_whatever_their_part_looks_like(SharedStringsShape shape)
    {
        var limits = new UploadsOptions { MaxSharedStrings = 1_000 };
        var bytes = OddSharedStrings(1_001, shape);

        var m = Refused(bytes, "Datei.Texte", limits);
        Assert.Equal("1.001", m.Value.Replace(",", ".", StringComparison.Ordinal));
        var e = Assert.Throws<XlsxRefusedException>(() => ReadAll(bytes, limits));
        Assert.Equal("xl/sharedStrings.xml", e.Part);
    }

    [Theory]
    [InlineData(SharedStringsShape.Padded)]
    [InlineData(SharedStringsShape.RenamedRoot)]
    [InlineData(SharedStringsShape.Deeper)]
    public void Shared_strings_within_the_limit_are_read_in_every_shape(SharedStringsShape shape)
    {
        using var reader = XlsxWorkbookReader.Open(new MemoryStream(OddSharedStrings(1_000, shape)),
            limits: new UploadsOptions { MaxSharedStrings = 1_000 });
        Assert.True(reader.NextSheet());
        Assert.True(reader.Read());
        Assert.Equal("0", reader.GetValue(0));
    }

    [Fact]
    public void Sheets_over_the_limit_are_refused_when_the_workbook_part_is_padded_with_whitespace()
    {
        Refused(ManySheets(10_000, padded: true), "Datei.Blaetter");
        Refused(ManySheets(51, padded: true), "Datei.Blaetter");
    }

    [Theory]
    [InlineData(HugeTextPlace.StrValue)]
    [InlineData(HugeTextPlace.Inline)]
    [InlineData(HugeTextPlace.SplitText)]
    [InlineData(HugeTextPlace.Formula)]
    public void A_text_longer_than_a_cell_holds_is_refused_wherever_it_stands_in_a_sheet(HugeTextPlace place)
    {
        var m = Refused(HugeText(40_000, place), "Datei.Textlaenge");
        Assert.Contains("xl/worksheets/sheet1.xml", m.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_attribute_value_of_millions_of_characters_is_refused_before_the_parser_holds_it()
    {
        var limits = new UploadsOptions { MaxTextNodeChars = 1_000 };
        var bytes = HugeText(2_000_000, HugeTextPlace.Attribute);

        var m = Refused(bytes, "Datei.Textlaenge", limits);
        Assert.Contains("xl/worksheets/sheet1.xml", m.Text, StringComparison.Ordinal);
        Assert.Throws<XlsxRefusedException>(() => ReadAll(bytes, limits));
    }

    [Fact]
    public void A_shared_string_split_by_child_elements_is_bounded_as_a_whole()
    {
        var m = Refused(HugeText(40_000, HugeTextPlace.SplitShared), "Datei.Textlaenge");
        Assert.Contains("xl/sharedStrings.xml", m.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_within_the_limit_is_read_whole_across_split_nodes()
    {
        using var reader = XlsxWorkbookReader.Open(new MemoryStream(HugeText(32_767, HugeTextPlace.SplitText)));
        Assert.True(reader.NextSheet());
        Assert.True(reader.Read());
        Assert.Equal(32_767, Assert.IsType<string>(reader.GetValue(0)).Length);
    }

    [Fact]
    public void A_part_that_is_not_well_formed_is_a_German_verdict_naming_the_file_and_the_part()
    {
        var valid = File.ReadAllBytes(ReturnFiles.WriteValid(ReturnFiles.TempDir()));
        string styles;
        using (var zip = new ZipArchive(new MemoryStream(valid)))
            styles = zip.Entries.First(e => e.FullName.EndsWith("styles.xml", StringComparison.Ordinal)).FullName;

        var p = ReturnFiles.Validate(XlsxPackages.Edit(valid, styles, t => t[..(t.Length / 2)]), "meldung.xlsx");

        var m = Assert.Single(p.Messages);
        Assert.Equal("Datei.Defekt", m.Rule);
        Assert.Equal("meldung.xlsx", m.Value);
        Assert.Contains($"„{styles}“", m.Text, StringComparison.Ordinal);
        Assert.Contains("kein gültiges XML", m.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_type_detection_reads_the_content_types_under_the_same_limits()
    {
        var bytes = XlsxPackages.Edit(ManySheets(1), "[Content_Types].xml",
            t => t.Replace("<Types ", "<Types a1=\"1\" a2=\"2\" a3=\"3\" ", StringComparison.Ordinal));
        var m = Refused(bytes, "Datei.Attribute", new UploadsOptions { MaxXmlAttributes = 3 });
        Assert.Contains("[Content_Types].xml", m.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_feedback_enforces_the_limits_itself_on_the_sheets_it_copies()
    {
        // A verdict that is not about the file (as one from before a limit was lowered): the feedback reads the
        // sheets again, and a formula longer than the limit must not be copied into it.
        var bytes = HugeText(40_000, HugeTextPlace.Formula);
        var parsed = new ParsedReturn();
        parsed.Messages.Add(new ReturnMessage(Severity.Error, L.CoverSheet, "A1", "", "Typ.Betrag", "Kein Betrag."));

        var feedback = FeedbackWorkbook.Create(bytes, "angriff.xlsx", parsed);

        using var zip = new ZipArchive(new MemoryStream(feedback));
        Assert.True(zip.Entries.Sum(e => e.Length) < 40_000);
        Assert.DoesNotContain(zip.Entries, e => e.FullName == "xl/feedback/meldungen.xml");
    }

    [Fact]
    public void The_feedback_writes_only_valid_part_names_each_once()
    {
        var valid = File.ReadAllBytes(ReturnFiles.WriteChanged(ReturnFiles.TempDir(),
            wb => wb.Worksheet(L.OzgSheet).Cell("E6").SetValue(9)));
        using var ms = new MemoryStream();
        ms.Write(valid);
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
            foreach (var name in new[] { "../../../tmp/evil.txt", "/etc/evil.xml", "xl/../../evil.xml",
                "C:\\evil.xml", "xl/dup.xml", "xl/dup.xml", "XL/DUP.xml", "xl//empty.xml", "xl/./dot.xml" })
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                w.Write("<x/>");
            }
        var bytes = ms.ToArray();
        var parsed = ReturnFiles.Validate(bytes, "meldung.xlsx");
        Assert.Contains(parsed.Messages, m => m.Cell == "E6");

        var feedback = FeedbackWorkbook.Create(bytes, "meldung.xlsx", parsed);

        using var output = new ZipArchive(new MemoryStream(feedback));
        var names = output.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("xl/feedback/meldungen.xml", names);   // annotated, not the fallback list
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Single(names, n => n.Equals("xl/dup.xml", StringComparison.OrdinalIgnoreCase));
        Assert.All(names, n =>
        {
            Assert.DoesNotContain("..", n, StringComparison.Ordinal);
            Assert.DoesNotContain("//", n, StringComparison.Ordinal);
            Assert.DoesNotContain("/./", n, StringComparison.Ordinal);
            Assert.DoesNotContain('\\', n);
            Assert.DoesNotContain(':', n);
            Assert.False(n.StartsWith('/'), n);
        });
        using var wb = new XLWorkbook(new MemoryStream(feedback));
        Assert.Equal(FeedbackWorkbook.MessagesSheet, wb.Worksheet(1).Name);
    }

    [Fact]
    public void Free_text_cover_fields_are_shortened_before_they_are_stored_or_mailed()
    {
        var path = ReturnFiles.WriteChanged(ReturnFiles.TempDir(), wb =>
        {
            var ws = wb.Worksheet(L.CoverSheet);
            foreach (var label in new[] { L.CoverContact, L.CoverProviderName })
                ws.CellsUsed().First(c => c.GetString() == label).CellRight().SetValue(new string('x', 20_000));
        });

        var p = ReturnFiles.Validate(path);

        Assert.NotNull(p.Cover);
        Assert.Equal(ReturnRules.MaxCoverTextChars, p.Cover.Contact.Length);
        Assert.EndsWith("…", p.Cover.Contact, StringComparison.Ordinal);
        Assert.Equal(ReturnRules.MaxCoverTextChars, p.Cover.ProviderName.Length);
    }

    [Fact]
    public void A_return_of_the_template_keeps_every_limit_and_reads_as_before()
    {
        var p = ReturnFiles.Validate(ReturnFiles.WriteValid(ReturnFiles.TempDir()), uploader: "ITVB");
        Assert.False(p.HasErrors, ReturnFiles.Dump(p));
        Assert.NotEmpty(p.Supply);
    }
}
