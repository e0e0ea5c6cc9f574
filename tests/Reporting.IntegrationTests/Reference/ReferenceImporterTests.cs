using Microsoft.Extensions.Logging.Abstractions;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;
using Reporting.Uploads;
using Reporting.Access;

namespace Reporting.IntegrationTests.Reference;

public sealed class ReferenceImporterTests
{
    static readonly DateOnly Stand2019 = new(2019, 12, 31);

    [SharedReferenceFact]
    public async Task The_real_NRW_files_give_396_municipalities_53_districts_and_557_OZG_services()
    {
        await using var db = await TestDatabase.CreateAsync();
        var s = await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.SharedReference, Stand2019);

        Assert.Equal(396, s.Municipalities);
        Assert.Equal(53, s.Districts);
        Assert.Equal(5, s.Regions);
        Assert.Equal(17_947_221, s.Population);
        Assert.Equal(557, s.OzgServices);
        Assert.Equal(14, s.OzgTopics);
        Assert.Equal(22, await db.ScalarAsync<int>("select count(*) from districts where kind = 'kreisfreie Stadt'"));
        // Köln is a kreisfreie Stadt in the Regierungsbezirk Köln.
        Assert.Equal("053", await db.ScalarAsync<string>("select region_key from districts where key = '05315'"));
        // Some OZG services are federal only (LeiKa type 1), most are executed by municipalities.
        var municipal = await db.ScalarAsync<int>("select count(*) from ozg_services where municipal");
        Assert.InRange(municipal, 300, 556);
    }

    [SharedReferenceFact]
    public async Task Importing_the_real_files_twice_gives_the_same_rows()
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new ReferenceImporter(db.DataSource, NullLogger<ReferenceImporter>.Instance);
        var first = await importer.ImportAsync(TestPaths.SharedReference, Stand2019);
        var fingerprint = await db.ScalarAsync<string>(
            "select md5(string_agg(ags || name || population || district_key, ',' order by ags)) from municipalities");

        var second = await importer.ImportAsync(TestPaths.SharedReference, Stand2019);

        Assert.Equal(first, second);
        Assert.Equal(fingerprint, await db.ScalarAsync<string>(
            "select md5(string_agg(ags || name || population || district_key, ',' order by ags)) from municipalities"));
        Assert.Equal(396, await db.ScalarAsync<int>("select count(*) from population_history"));
    }

    [Fact]
    public async Task A_newer_population_figure_replaces_the_current_one_and_keeps_the_old_in_history()
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new ReferenceImporter(db.DataSource, NullLogger<ReferenceImporter>.Instance);
        var dir = Directory.CreateTempSubdirectory("ref-").FullName;
        try
        {
            var demo = DemoReference.Load(TestPaths.DemoReference);
            DemoReference.WriteOfficialFiles(demo, dir);
            await importer.ImportAsync(dir, new DateOnly(2023, 12, 31));

            var grown = demo with
            {
                Districts = demo.Districts.Select(d => d with
                {
                    Municipalities = d.Municipalities.Select(m => m.Ags == "05811000"
                        ? m with { Population = m.Population + 1000 } : m).ToList(),
                }).ToList(),
            };
            DemoReference.WriteOfficialFiles(grown, dir);
            await importer.ImportAsync(dir, new DateOnly(2024, 12, 31));

            Assert.Equal(248_310 + 1000,
                await db.ScalarAsync<int>("select population from municipalities where ags = '05811000'"));
            Assert.Equal("2024-12-31", await db.ScalarAsync<string>(
                "select population_as_of::text from municipalities where ags = '05811000'"));
            Assert.Equal(248_310, await db.ScalarAsync<int>(
                "select population from population_history where ags = '05811000' and as_of = '2023-12-31'"));

            // An older extract imported afterwards does not overwrite the newer current figure.
            DemoReference.WriteOfficialFiles(demo, dir);
            await importer.ImportAsync(dir, new DateOnly(2022, 12, 31));
            Assert.Equal(248_310 + 1000,
                await db.ScalarAsync<int>("select population from municipalities where ags = '05811000'"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task The_demo_region_imports_through_the_official_file_format()
    {
        await using var db = await TestDatabase.CreateAsync();
        var s = await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, Stand2019);

        Assert.Equal(15, s.Municipalities);
        Assert.Equal(4, s.Districts);
        Assert.Equal(1, s.Regions);
        Assert.Equal(694_152, s.Population);
        Assert.Equal(32, s.OzgServices);
        // Three demo services are federal only (LeiKa type 1).
        Assert.Equal(29, await db.ScalarAsync<int>("select count(*) from ozg_services where municipal"));
        Assert.Equal(4, s.ProviderAreas);
        // The demo registers its providers itself, with their contacts; the import adds none.
        Assert.Equal(0, s.Providers);
    }

    [SharedReferenceFact]
    public async Task The_service_areas_providers_are_registered_once_and_keep_their_names_contacts_and_keys()
    {
        await using var db = await TestDatabase.CreateAsync();
        var importer = new ReferenceImporter(db.DataSource, NullLogger<ReferenceImporter>.Instance);
        var first = await importer.ImportAsync(TestPaths.SharedReference, Stand2019);
        Assert.Equal(31, first.Providers);
        Assert.Equal(["05114", "05154", "05158", "05166", "05170", "05512"],
            (await db.ScalarAsync<string>(
                "select string_agg(district_key, ',' order by district_key) from provider_districts where "
                    + "provider_code = 'KRZN'")).Split(','));
        var keys = new ProviderKeys(db.DataSource);
        var key = await keys.IssueKeyAsync("KRZN");
        await db.ScalarAsync<int>(
            "with u as (update providers set name = 'KRZN', email = 'it@krzn.example' where code = 'KRZN' returning "
                + "1) select count(*)::int from u");
        var districts = await db.ScalarAsync<int>("select count(*) from provider_districts");

        var second = await importer.ImportAsync(TestPaths.SharedReference, Stand2019);

        Assert.Equal(31, second.Providers);
        Assert.Equal("KRZN", await keys.AuthenticateAsync(key));
        Assert.Equal("KRZN|it@krzn.example",
            await db.ScalarAsync<string>("select name || '|' || email from providers where code = 'KRZN'"));
        Assert.Equal(districts, await db.ScalarAsync<int>("select count(*) from provider_districts"));
        // The codes are the ones generate --reference writes into the returns (Deckblatt).
        var generated = Reporting.Ingestion.DemoReturnReference.Load(TestPaths.SharedReference).Providers.Select(p
            => p.Code).Order();
        Assert.Equal(generated, (await db.ScalarAsync<string>(
            "select string_agg(code, ',' order by code) from providers")).Split(',').Order());
    }
}
