using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Reporting.IntegrationTests.Reports;
using Reporting.IntegrationTests.Support;
using Reporting.Kpis;
using Reporting.Reference;
using Reporting.Reports;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Scheduling;

/// <summary>Which charts a briefing mail carries, chosen for the scope, on the demo region.</summary>
public sealed class MailChartsTests
{
    [Fact]
    public async Task Across_NRW_the_mail_shows_a_district_map_and_a_district_its_own_bars()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource, NullLogger<ReferenceImporter>.Instance)
            .ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        var files = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "data", "samples"), "*.xlsx");
        var id = await ReconciliationTests.IngestAsync(db, files, demoProviders: true);
        var reader = new SnapshotReader(db.DataSource, Options.Create(new KpisOptions()));
        var renderer = new DashboardRenderer(db.DataSource, KpiCatalogue.LoadEmbedded(), reader);

        var nrw = RenderedExecutiveReports.MailCharts(await renderer.LoadAsync(id, KpiScope.Nrw));
        var district = RenderedExecutiveReports.MailCharts(
            await renderer.LoadAsync(id, KpiScope.Parse("district=05870")));

        Assert.Equal(["kosten-je-arbeitsplatz", "ozg-karte", "kostenentwicklung"], nrw.Select(c => c.Name));
        Assert.Contains("ozg-online-quote", district.Select(c => c.Name));
        Assert.DoesNotContain("ozg-karte", district.Select(c => c.Name));
    }
}
