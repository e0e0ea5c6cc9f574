using System.Text;
using Reporting.Kpis;

namespace Reporting.IntegrationTests.Kpis;

public sealed class KpiCatalogueTests
{
    /// <summary>
    /// The ids and dimensions the renderer and mails read: a contract, so a rename breaks here first.
    /// </summary>
    public static TheoryData<string, string[]> Contract => new()
    {
        { "total_cost", ["nrw", "region", "district", "provider"] },
        { "cost_per_workstation", ["nrw", "region", "district", "provider"] },
        { "cost_per_user", ["nrw", "region", "district", "provider"] },
        { "cost_per_inhabitant", ["nrw", "region", "district", "provider"] },
        { "cost_share_by_cost_type", ["cost_type", "provider_cost_type"] },
        { "cost_share_by_service", ["service", "provider_service"] },
        { "workstations_per_fte", ["provider", "nrw"] },
        { "charges_per_workstation", ["municipality", "district"] },
        { "unit_cost", ["provider_service"] },
        { "unit_cost_min", ["service"] }, { "unit_cost_q1", ["service"] }, { "unit_cost_median", ["service"] },
        { "unit_cost_q3", ["service"] }, { "unit_cost_max", ["service"] },
        { "ozg_online_rate", ["municipality", "district", "region", "nrw"] },
        { "ozg_compliant_rate", ["municipality", "district", "region", "nrw"] },
        { "ozg_area_coverage", ["ozg_service", "ozg_topic"] },
        { "service_coverage_municipalities", ["service"] },
        { "service_coverage_inhabitants", ["service"] },
        { "providers_per_municipality", ["municipality", "nrw"] },
        { "providers_per_service", ["service"] },
        { "hhi_workstations", ["service"] },
        { "consolidation_potential", ["service", "provider", "provider_service", "nrw"] },
        { "scale_slope", ["nrw", "service"] }, { "scale_r2", ["nrw", "service"] },
        { "returns_expected", ["nrw"] }, { "returns_received", ["nrw"] }, { "returns_completeness", ["nrw"] },
        { "municipalities_covered_share", ["nrw"] }, { "inhabitants_covered_share", ["nrw"] },
    };

    [Theory]
    [MemberData(nameof(Contract))]
    public void The_embedded_catalogue_has_the_agreed_KPI_with_its_dimensions(string id, string[] dimensions)
    {
        var k = KpiCatalogue.LoadEmbedded().Find(id);
        Assert.NotNull(k);
        Assert.Subset(k.Dimensions.ToHashSet(), dimensions.ToHashSet());
        Assert.False(string.IsNullOrWhiteSpace(k.Name));
    }

    [Fact]
    public void The_reference_value_of_cost_per_workstation_is_the_KGSt_figure_with_its_source()
    {
        var k = KpiCatalogue.LoadEmbedded()["cost_per_workstation"];
        Assert.Equal(3100m, k.Reference!.Value);
        Assert.Contains("KGSt", k.Reference.Source);
        Assert.Equal("lower", k.Direction);
        Assert.Equal("green", k.TrafficLight(2900m));
        Assert.Equal("amber", k.TrafficLight(3500m));
        Assert.Equal("red", k.TrafficLight(4000m));
    }

    [Fact]
    public void A_broken_catalogue_fails_with_every_problem_named()
    {
        var json = """
            { "kpis": [
              { "id": "cost_per_tree", "name": "Kosten je Baum", "definition": "x", "unit": "EUR", "shape": "ratio",
                "params": { "numerator": "cost", "denominator": "trees" }, "dimensions": ["nrw", "galaxy"] },
              { "id": "tree_q1", "name": "Q1", "definition": "x", "unit": "EUR", "shape": "quantile",
                "params": { "of": "later_kpi", "from_dimension": "provider_service", "q": 1.5 },
                  "dimensions": ["service"] },
              { "id": "odd", "name": "Odd", "definition": "x", "unit": "EUR", "shape": "magic", "dimensions": ["nrw"],
                "direction": "lower", "thresholds": { "green": 10, "amber": 5 } },
              { "id": "odd", "name": "Twice", "definition": "x", "unit": "EUR", "shape": "sum",
                "params": { "measure": "cost" }, "dimensions": ["nrw"] }
            ] }
            """;
        var e = Assert.Throws<KpiCatalogueException>(()
            => KpiCatalogue.Parse(Encoding.UTF8.GetBytes(json), "test.json"));
        Assert.Contains("test.json is invalid", e.Message);
        Assert.Contains("'cost_per_tree': params.denominator 'trees' is not a measure", e.Message);
        Assert.Contains("'cost_per_tree': unknown dimension 'galaxy'", e.Message);
        Assert.Contains("'tree_q1': params.of 'later_kpi' is not a KPI defined before this one", e.Message);
        Assert.Contains("'tree_q1': params.q 1.5 is outside 0..1", e.Message);
        Assert.Contains("'odd': unknown shape 'magic'", e.Message);
        Assert.Contains("'odd': lower is better, so thresholds.green must be <= thresholds.amber", e.Message);
        Assert.Contains("'odd': id is used twice", e.Message);
    }

    [Fact]
    public void A_catalogue_that_is_not_JSON_fails_clearly()
    {
        var e = Assert.Throws<KpiCatalogueException>(()
            => KpiCatalogue.Parse(Encoding.UTF8.GetBytes("{ kpis: ["), "bad.json"));
        Assert.Contains("bad.json is not valid JSON", e.Message);
    }

    [Fact]
    public void A_broken_catalogue_file_stops_the_app_at_start_up()
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalogue-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            { "kpis": [ { "id": "x", "name": "X", "definition": "x", "unit": "EUR", "shape": "sum",
                          "params": { "measure": "nothing" }, "dimensions": ["nrw"] } ] }
            """);
        try
        {
            var e = Assert.Throws<KpiCatalogueException>(() => ReportingHost.CreateBuilder(b =>
                b.Configuration.AddInMemoryCollection([new("Kpis:CataloguePath", path)])));
            Assert.Contains("params.measure 'nothing' is not a measure", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_new_KPI_of_a_known_shape_is_a_catalogue_edit_only()
    {
        // Charges per inhabitant: a ratio of two existing measures, no code.
        var json = File.ReadAllText(Path.Combine(Support.TestPaths.RepoRoot, "data", "kpis", "catalogue.json"));
        var extra = """
            { "id": "charges_per_inhabitant", "name": "Entgelte je Einwohner", "definition": "Entgelte / Einwohner",
              "unit": "EUR", "shape": "ratio", "params": { "numerator": "charges", "denominator": "population" },
              "dimensions": ["district", "nrw"], "direction": "lower" },
            """;
        var edited = json.Replace("\"kpis\": [", "\"kpis\": [" + extra);
        var cat = KpiCatalogue.Parse(Encoding.UTF8.GetBytes(edited), "edited");
        Assert.NotNull(cat.Find("charges_per_inhabitant"));
        Assert.Contains("kpi_div", KpiShapes.Sql(cat["charges_per_inhabitant"], "district"));
    }
}
