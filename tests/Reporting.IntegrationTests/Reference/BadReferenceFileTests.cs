using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Reference;

public sealed class BadReferenceFileTests
{
    const string Header = "ags,ars,gemeinde_name,gemeinde_typ,kreis_schluessel,kreis_name,kreis_typ,"
        + "regierungsbezirk_schluessel,regierungsbezirk_name,einwohner";

    [Theory]
    [InlineData("05111000,051110000000,\"Düsseldorf, Stadt\nkaputt;;;\"offen", "nrw_gemeinden.csv, line")]
    [InlineData("05111000,051110000000", "nrw_gemeinden.csv: a column is missing")]
    public async Task A_broken_reference_file_is_named_in_one_line_and_nothing_is_imported(string rows, string says)
    {
        await using var db = await TestDatabase.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("bad-reference-").FullName;
        try
        {
            var header = says.Contains("column") ? "ags,ars" : Header;
            await File.WriteAllTextAsync(Path.Combine(dir, "nrw_gemeinden.csv"), header + "\n" + rows + "\n");

            var r = await AppProcess.RunAsync(db, "reference", "import", dir);

            Assert.Equal(1, r.ExitCode);
            Assert.StartsWith("error: " + says, r.Err.Trim());
            Assert.Contains("nothing was imported", r.Err);
            Assert.DoesNotContain("   at ", r.Err);   // no stack trace
            Assert.DoesNotContain("Unhandled", r.Err);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task A_name_with_a_line_break_or_control_character_skips_its_row_named_by_file_line_and_column()
    {
        await using var db = await TestDatabase.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("bad-reference-").FullName;
        try
        {
            const string district = "05111,Düsseldorf,kreisfreie Stadt,051,Düsseldorf";
            await File.WriteAllTextAsync(Path.Combine(dir, "nrw_gemeinden.csv"), Header + "\n"
                + $"05111000,051110000000,Düsseldorf,Stadt,{district},620523\n"              // line 2
                + $"05111001,051110010000,\"Düssel\r\ndorf\",Stadt,{district},1\n"           // lines 3-4
                + $"05111002,051110020000,Ober\u2028kassel,Stadt,{district},2\n"              // line 5
                + $"05111003,051110030000,Bilk,Stadt,{district},3\n");                        // line 6

            var r = await AppProcess.RunAsync(db, "reference", "import", dir);

            Assert.True(r.ExitCode == 0, r.Err);
            Assert.Contains("nrw_gemeinden.csv, line 3, column gemeinde_name: the value contains a control or "
                + "line-break character (U+000D); row skipped", r.Err);
            Assert.Contains("nrw_gemeinden.csv, line 5, column gemeinde_name: the value contains a control or "
                + "line-break character (U+2028); row skipped", r.Err);
            Assert.Contains("warning: 2 row(s) not imported", r.Err);
            Assert.DoesNotContain("   at ", r.Err);   // no stack trace
            Assert.Equal("Bilk,Düsseldorf", await db.ScalarAsync<string>(
                "select string_agg(name, ',' order by name) from municipalities"));
            Assert.Contains("2 municipalities in 1 districts", r.Out);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
