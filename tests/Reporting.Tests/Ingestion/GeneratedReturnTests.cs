using Reporting.Ingestion;

namespace Reporting.Tests.Ingestion;

public sealed class GeneratedReturnTests
{
    [Fact]
    public void A_generated_return_validates_without_errors_and_reads_back_every_fact_with_its_position()
    {
        var dir = ReturnFiles.TempDir();
        var g = ReturnFiles.Generate("KDZA", "2025", seed: 11);
        var path = Path.Combine(dir, "KDZA-2025.xlsx");
        DemoReturnWriter.WriteThroughTemplate(g, ReturnFiles.Catalog, path);

        var parsed = ReturnFiles.Validate(path, uploader: "KDZA");

        Assert.False(parsed.HasErrors, ReturnFiles.Dump(parsed));
        Assert.Equal(g.Cover, parsed.Cover);
        Assert.Equal(g.Costs, parsed.Costs);
        Assert.Equal(g.Supply, parsed.Supply);
        Assert.Equal(g.Ozg, parsed.Ozg);
    }

    [Fact]
    public void The_templates_own_very_hidden_lists_sheet_draws_no_hidden_sheet_warning()
    {
        var parsed = ReturnFiles.Validate(ReturnFiles.WriteValid(ReturnFiles.TempDir()));

        Assert.DoesNotContain(parsed.Messages, m => m.Rule == "Struktur.AusgeblendetesBlatt");
    }
}
