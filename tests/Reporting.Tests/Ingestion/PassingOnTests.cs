using ClosedXML.Excel;
using Reporting.Ingestion;
using L = Reporting.Uploads.ReturnTemplateLayout;

namespace Reporting.Tests.Ingestion;

/// <summary>Validation that passes each fact on as it is read (ingestion) instead of keeping the return.</summary>
public sealed class PassingOnTests
{
    sealed class Collected : IFactConsumer
    {
        public List<CostLine> Costs { get; } = [];
        public List<SupplyLine> SupplyLines { get; } = [];
        public List<OzgLine> OzgLines { get; } = [];
        public void Cost(CostLine fact) => Costs.Add(fact);
        public void Supply(SupplyLine fact) => SupplyLines.Add(fact);
        public void Ozg(OzgLine fact) => OzgLines.Add(fact);
    }

    static ParsedReturn PassOn(string path, IFactConsumer to)
    {
        using var s = File.OpenRead(path);
        return ReturnFiles.Validator().Validate(s, path, new ValidationContext(null), to);
    }

    [Fact]
    public void Every_fact_is_passed_on_in_the_order_read_and_none_is_kept()
    {
        var path = ReturnFiles.WriteValid(ReturnFiles.TempDir());
        var kept = ReturnFiles.Validate(path);
        var to = new Collected();

        var passed = PassOn(path, to);

        Assert.False(passed.HasErrors, ReturnFiles.Dump(passed));
        Assert.Equal(kept.Costs, to.Costs);
        Assert.Equal(kept.Supply, to.SupplyLines);
        Assert.Equal(kept.Ozg, to.OzgLines);
        Assert.Empty(passed.Ozg);
        Assert.Equal(new StreamedFacts(kept.Costs.Count, kept.Supply.Count, kept.Ozg.Count,
            kept.Costs.Sum(c => c.Amount), kept.Supply.Sum(l => (long)l.Workstations)), passed.Streamed);
        Assert.Equal(kept.Messages, passed.Messages);
    }

    [Fact]
    public void After_the_first_error_no_further_fact_is_passed_on_but_every_message_is_still_found()
    {
        var path = ReturnFiles.WriteChanged(ReturnFiles.TempDir(), wb =>
        {
            var ozg = wb.Worksheet(L.OzgSheet);
            ozg.Cell(L.FirstDataRow + 1, 1).SetValue("05999999");   // unknown municipality in the second OZG row
            ozg.Cell(L.FirstDataRow + 3, 5).SetValue(9);             // maturity out of range two rows further down
        });
        var kept = ReturnFiles.Validate(path);
        var to = new Collected();

        var passed = PassOn(path, to);

        Assert.Equal(kept.Messages, passed.Messages);
        Assert.Contains(passed.Messages, m => m.Rule == "Domaene.AGS");
        Assert.Contains(passed.Messages, m => m.Rule == "Domaene.Reifegrad");
        Assert.Equal(kept.Ozg.Take(1),
            to.OzgLines);                  // the first row only; the bad one and all after it stay out
        Assert.Equal(kept.Supply, to.SupplyLines);                    // read before the OZG sheet
    }

    [Fact]
    public void Facts_that_were_passed_on_cannot_be_listed_afterwards()
    {
        var facts = new FactList<OzgLine>(keep: false);
        var seen = 0;
        facts.OnRead += _ => seen++;

        facts.Add(new OzgLine("05111000", 1, 2, true, null, "OZG", 5));

        Assert.Equal((1, 1), (facts.Count, seen));
        Assert.Throws<InvalidOperationException>(() => facts.ToList());
    }
}
