using Microsoft.Extensions.Logging.Abstractions;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;

namespace Reporting.IntegrationTests.Reference;

/// <summary>`reference import` loads the boundaries the maps draw; a bad file does not stop the import.</summary>
public sealed class DistrictBoundaryImportTests
{
    static readonly DateOnly Stand2019 = new(2019, 12, 31);

    [SharedReferenceFact]
    public async Task The_real_NRW_boundaries_give_53_districts_with_the_BKG_attribution()
    {
        await using var db = await TestDatabase.CreateAsync();
        var s = await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.SharedReference, Stand2019);

        Assert.Equal(53, s.DistrictBoundaries);
        Assert.Equal(53, await db.ScalarAsync<int>("""
            select count(*) from district_boundaries b join districts d on d.key = b.district_key
            where b.attribution = '© GeoBasis-DE / BKG'
              and b.geometry->>'type' in ('Polygon', 'MultiPolygon')
            """));
    }

    [Fact]
    public async Task The_demo_region_gets_its_generated_fictional_boundaries()
    {
        await using var db = await TestDatabase.CreateAsync();
        var s = await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, Stand2019);

        Assert.Equal(4, s.DistrictBoundaries);
        Assert.Equal(4, await db.ScalarAsync<int>(
            "select count(*) from district_boundaries where attribution = 'Grenzen: fiktive Demoregion'"));
    }

    [Fact]
    public async Task A_broken_boundaries_file_is_one_line_and_the_rest_of_the_import_goes_on()
    {
        await using var db = await TestDatabase.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("bad-boundaries-").FullName;
        try
        {
            DemoReference.WriteOfficialFiles(DemoReference.Load(TestPaths.DemoReference), dir);
            await File.WriteAllTextAsync(Path.Combine(dir, DistrictBoundaries.FileName), "{\"features\": [");

            var r = await AppProcess.RunAsync(db, "reference", "import", dir);

            Assert.Equal(0, r.ExitCode);
            var lines = (r.Out + r.Err).Split('\n').Where(l => l.Contains(DistrictBoundaries.FileName)).ToList();
            var line = Assert.Single(lines);
            Assert.Contains("not valid JSON", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.Err);
            Assert.Equal(15, await db.ScalarAsync<int>("select count(*) from municipalities"));
            Assert.Equal(0, await db.ScalarAsync<int>("select count(*) from district_boundaries"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
