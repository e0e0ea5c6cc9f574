using Microsoft.Extensions.Logging.Abstractions;
using Reporting.Ingestion;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;
using Reporting.IntegrationTests.Ingestion;

namespace Reporting.IntegrationTests.Reference;

public sealed class ReferenceCatalogTests
{
    [Fact]
    public async Task The_catalogue_reads_the_demo_reference_providers_and_periods_from_the_database()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        await using (var cmd = db.DataSource.CreateCommand("""
            insert into providers (code, name) values ('ITVB', 'ITV Brückenfeld');
            insert into periods (period, starts_on, ends_on, deadline, closed) values
              ('2023', '2023-01-01', '2023-12-31', '2024-03-31', true),
              ('2025', '2025-01-01', '2025-12-31', '2026-03-31', false);
            """))
            await cmd.ExecuteNonQueryAsync();

        var catalog = await ReferenceCatalog.LoadAsync(db.DataSource);

        var demo = DemoReference.Load(TestPaths.DemoReference);
        Assert.Equal(demo.Districts.SelectMany(d => d.Municipalities).Select(m => m.Ags).Order(),
            catalog.Municipalities.Keys.Order());
        Assert.Equal(demo.OzgServices.Select(o => o.Id).Order(), catalog.OzgServices.Keys.Order());
        Assert.Equal(30, catalog.Services.Count);
        Assert.Equal(["Personal", "Hardware", "Software und Lizenzen", "Externe Dienstleistungen", "Sonstiges"],
            catalog.CostTypes.Select(c => c.Name));
        Assert.Equal("ITV Brückenfeld", catalog.Providers["ITVB"]);
        Assert.False(catalog.IsOpen("2023", out _));
        Assert.True(catalog.IsOpen("2025", out _));
        Assert.True(catalog.IsOpen("2026", out _));   // a new year's row is created on intake

        // The committed sample validates against the catalogue as loaded from the database.
        var sample = Path.Combine(TestPaths.RepoRoot, "data", "samples", "ITVB-2025.xlsx");
        var parsed = new ReturnValidator(catalog).Validate(sample, new ValidationContext("ITVB"));
        Assert.Equal(0, parsed.ErrorCount);
    }
}
