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
}
