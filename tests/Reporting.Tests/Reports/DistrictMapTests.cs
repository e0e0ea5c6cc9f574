using Reporting.Kpis;
using Reporting.Reference;
using Reporting.Reports;
using Reporting.Tests.Ingestion;

namespace Reporting.Tests.Reports;

/// <summary>The district maps: real boundaries, classes with a German legend, attribution, the own district.</summary>
public sealed class DistrictMapTests
{
    static readonly KpiCatalogue Catalogue = KpiCatalogue.LoadEmbedded();
    static string PngDir => Path.Combine(Path.GetTempPath(), "reporting-district-maps");

    static DashboardData Data(KpiScope scope, string file, Func<string, bool> own, Func<string, decimal?> value)
    {
        var boundaries = DistrictBoundaries.Read(file);
        return new DashboardData
        {
            SnapshotId = 1, Period = "2025", CreatedAt = DateTimeOffset.UnixEpoch, Completeness = 1,
            Provisional = false, ReturnsExpected = 1, ReturnsReceived = 1, Scope = scope, ScopeLabel = "Ausschnitt",
            Definitions = DashboardData.DefinitionsOf(Catalogue),
            Values = boundaries.Features.Where(f => value(f.DistrictKey) is not null)
                .Select(f => new DashboardValue("cost_per_inhabitant", "district", f.DistrictKey, f.Name, f.DistrictKey,
                    null, value(f.DistrictKey), null, null, null, 1m, false)).ToList(),
            Boundaries = boundaries.Features.Select(f => new DistrictOutline(f.DistrictKey, f.Name, own(f.DistrictKey),
                DistrictBoundaries.Polygons(f.GeometryJson))).ToList(),
            BoundaryAttribution = boundaries.Attribution,
        };
    }

    static DashboardCharts.Chart Map(DashboardData data) =>
        DistrictMap.Build(data, "cost_per_inhabitant", "kreis-karte", "Karte: IT-Kosten je Einwohner nach Kreis");

    /// <summary>Written for looking at: the PNG in the temp folder.</summary>
    static void Keep(DashboardCharts.Chart c, string name)
    {
        Directory.CreateDirectory(PngDir);
        File.WriteAllBytes(Path.Combine(PngDir, name + ".png"), c.Png());
    }

    static string Text(DashboardCharts.Chart c) => System.Net.WebUtility.HtmlDecode(c.Svg());

    [SharedReferenceFact]
    public void The_NRW_map_from_the_real_boundaries_draws_53_districts_and_names_the_BKG()
    {
        var file = Path.Combine(RealReferenceGeneratorTests.SharedReference, DistrictBoundaries.FileName);
        var data = Data(KpiScope.Nrw, file, _ => true, k => 20m + int.Parse(k[2..]) % 37);
        var map = Map(data);
        Keep(map, "nrw");

        Assert.Equal(53, data.Boundaries.Count);
        // Städteregion Aachen is a MultiPolygon: its main part and four Vennbahn exclaves are drawn too.
        Assert.Equal(53 + 4, DistrictMap.DistrictPolygons(map));
        Assert.Contains("© GeoBasis-DE / BKG", Text(map), StringComparison.Ordinal);
        Assert.Contains("unter ", Text(map), StringComparison.Ordinal);
        Assert.Contains(" €", Text(map), StringComparison.Ordinal);
    }

    [Fact]
    public void The_demo_map_is_drawn_from_the_generated_fictional_boundaries_in_data_reference()
    {
        var file = Path.Combine(ReturnFiles.DemoReferenceDir, DemoBoundaries.FileName);
        var data = Data(KpiScope.Nrw, file, _ => true, k => k == "05874" ? null : 10m + int.Parse(k[3..]) % 7 * 3);
        var map = Map(data);
        Keep(map, "demo");

        Assert.Equal(4, data.Boundaries.Count);
        Assert.True(DistrictMap.DistrictPolygons(map) >= 4);
        Assert.Contains("Grenzen: fiktive Demoregion", Text(map), StringComparison.Ordinal);
        Assert.DoesNotContain("GeoBasis", Text(map), StringComparison.Ordinal);
        Assert.Contains("keine Meldung", Text(map), StringComparison.Ordinal);
    }

    [Fact]
    public void A_districts_map_outlines_it_within_its_region_and_names_its_value()
    {
        var file = Path.Combine(ReturnFiles.DemoReferenceDir, DemoBoundaries.FileName);
        var data = Data(KpiScope.District("05870"), file, k => k == "05870", k => k == "05870" ? 31.4m : null);
        var map = Map(data);
        Keep(map, "demo-lindenau");

        var outlines = map.Plot.GetPlottables().OfType<ScottPlot.Plottables.Polygon>()
            .Where(p => p.FillColor == ScottPlot.Colors.Transparent).ToList();
        Assert.NotEmpty(outlines);
        Assert.All(outlines, o => Assert.Equal(3, o.LineWidth));
        Assert.Contains("eigener Bereich", Text(map), StringComparison.Ordinal);
        Assert.Contains("31 €", Text(map), StringComparison.Ordinal);
        Assert.Contains("Lindenau", Text(map), StringComparison.Ordinal);
    }

    [Fact]
    public void Districts_close_together_keep_one_class_each_with_bounds_in_cents()
    {
        Assert.Equal([39.1m, 40.6m, 41.3m], DistrictMap.Breaks([38.2m, 39.1m, 40.6m, 41.3m], "EUR"));
        Assert.Equal([40m, 50m, 60m, 70m], DistrictMap.Breaks([22m, 31m, 35m, 44m, 47m, 52m, 58m, 61m, 66m, 75m],
            "EUR"));
        Assert.Equal([.42m, .55m], DistrictMap.Breaks([.31m, .42m, .55m], "Anteil"));
        // A whole-euro step would round 40.6 and 41.2 both to 41 and merge their classes.
        Assert.Equal([39.4m, 40.6m, 41.2m], DistrictMap.Breaks([37.6m, 39.4m, 40.6m, 41.2m], "EUR"));
    }

    [Fact]
    public void Four_districts_get_four_classes_each_holding_one_and_colours_from_light_to_dark()
    {
        // Rounded to 0,1 € the last bound (41,4) would lie above the highest value and leave its class empty.
        var values = new[] { 38.62m, 40.71m, 41.05m, 41.38m };
        var breaks = DistrictMap.Breaks(values, "EUR");

        Assert.Equal(3, breaks.Count);
        Assert.Equal([0, 1, 2, 3], values.Select(v => breaks.Count(b => v >= b)));
        var colours = Enumerable.Range(0, 4).Select(c => DistrictMap.ClassColor(c, 4)).ToList();
        Assert.Equal(4, colours.Distinct().Count());
        Assert.Equal(DistrictMap.ClassColor(0, 5), colours[0]);   // the lightest and the darkest of the scale
        Assert.Equal(DistrictMap.ClassColor(4, 5), colours[3]);
    }

    [Fact]
    public void Every_demo_district_is_one_closed_polygon()
    {
        var file = Path.Combine(ReturnFiles.DemoReferenceDir, DemoBoundaries.FileName);
        foreach (var f in DistrictBoundaries.Read(file).Features)
            Assert.True(DistrictBoundaries.Polygons(f.GeometryJson).Count == 1, $"{f.Name} has several parts");
    }

    [Fact]
    public void The_committed_demo_boundaries_are_what_the_generator_makes_of_demoland_json()
    {
        var path = Path.Combine(ReturnFiles.DemoReferenceDir, DemoBoundaries.FileName);
        var generated = DemoBoundaries.Generate(DemoReference.Load(ReturnFiles.DemoReferenceDir));
        // REGENERATE_DEMO_BOUNDARIES=1 rewrites the file after a change to demoland.json.
        if (Environment.GetEnvironmentVariable("REGENERATE_DEMO_BOUNDARIES") == "1") File.WriteAllText(path, generated);

        Assert.Equal(generated, File.ReadAllText(path));
        var read = DistrictBoundaries.Read(path);
        Assert.Equal(DemoBoundaries.Attribution, read.Attribution);
        Assert.Equal(["05811", "05812", "05870", "05874"], read.Features.Select(f => f.DistrictKey));
    }

    [Theory]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"properties\":{}}]}", "\"ags\" is missing")]
    [InlineData("{\"features\":[", "line 1: not valid JSON")]
    [InlineData("{\"features\":[{\"properties\":{\"ags\":\"05111\"},\"geometry\":{\"type\":\"Point\","
        + "\"coordinates\":[6.7,51.2]}}]}", "neither Polygon nor MultiPolygon")]
    public void A_broken_boundaries_file_is_named_with_the_reason(string json, string says)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("bad-geojson-").FullName, DistrictBoundaries.FileName);
        File.WriteAllText(path, json);
        var e = Assert.Throws<InvalidDataException>(() => DistrictBoundaries.Read(path));
        Assert.StartsWith(DistrictBoundaries.FileName, e.Message, StringComparison.Ordinal);
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}
