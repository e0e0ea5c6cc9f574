using Microsoft.Extensions.Logging.Abstractions;
using Reporting.Demo;
using Reporting.IntegrationTests.Support;
using Reporting.Kpis;
using Reporting.Reference;
using Reporting.Scheduling;
using Reporting.Uploads;

namespace Reporting.IntegrationTests.Reports;

/// <summary>
/// Every scope's dashboard (all sheets) and mail key figures checked against its scoped snapshot
/// (<see cref="ScopeReconciliation"/>): on the demo region every scope, on the real NRW data a sample.
/// </summary>
public sealed class ReconciliationTests
{
    [Fact]
    public async Task Every_dashboard_and_mail_of_the_demo_region_shows_its_scopes_values_or_labelled_comparisons()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource, NullLogger<ReferenceImporter>.Instance)
            .ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        var files = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "data", "samples"), "*.xlsx");
        var id = await IngestAsync(db, files, demoProviders: true);

        var check = new ScopeReconciliation(db.DataSource, id);
        var nrw = (await check.Reader.LoadAsync(id, KpiScope.Nrw))!;
        Assert.True(await check.CheckAsync(KpiScope.Nrw) > 0);
        var districts = nrw.Values.Where(v => v.Dimension == "district").Select(v => v.SliceKey).Distinct().ToList();
        Assert.NotEmpty(districts);
        foreach (var key in districts) await check.CheckAsync(KpiScope.Parse($"district={key}"));
        // Three providers report, fewer than the minimum of five: none may see an NRW aggregate.
        var providers = nrw.Values.Where(v => v.Dimension == "provider").Select(v => v.SliceKey).Distinct().ToList();
        Assert.True(providers.Count is > 0 and < 5);
        foreach (var code in providers) await check.CheckAsync(KpiScope.Parse($"provider={code}"));
    }

    /// <summary>
    /// The real NRW landscape as <c>demo --reference</c> builds it (reference import, one generated return per
    /// provider): NRW, three districts and three providers, which all may see NRW aggregates (31 providers).
    /// </summary>
    [SharedReferenceFact]
    public async Task Dashboards_and_mails_on_the_real_NRW_data_show_their_scopes_values_or_labelled_comparisons()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource, NullLogger<ReferenceImporter>.Instance)
            .ImportAsync(TestPaths.SharedReference, new DateOnly(2019, 12, 31));
        var dir = Directory.CreateTempSubdirectory("recon-returns-").FullName;
        try
        {
            var id = await IngestAsync(db, ReferenceReturns.Write(TestPaths.SharedReference, dir),
                demoProviders: false);
            var check = new ScopeReconciliation(db.DataSource, id);
            var nrw = (await check.Reader.LoadAsync(id, KpiScope.Nrw))!;
            Assert.True(await check.CheckAsync(KpiScope.Nrw) > 0);
            string[] districts = ["05315", "05570", "05916"];   // Köln, Kreis Warendorf, Herne
            foreach (var key in districts)
            {
                Assert.Contains(nrw.Values, v => v.Dimension == "district" && v.SliceKey == key);
                await check.CheckAsync(KpiScope.Parse($"district={key}"));
            }
            var providers = nrw.Values.Where(v => v.Dimension == "provider").Select(v => v.SliceKey).Distinct()
                .Order(StringComparer.Ordinal).ToList();
            Assert.True(providers.Count >= 5);
            foreach (var code in new[] { providers[0], providers[providers.Count / 2], providers[^1] })
                await check.CheckAsync(KpiScope.Parse($"provider={code}"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>The returns ingested through Hangfire, then the 2025 snapshot computed; returns its id.</summary>
    internal static async Task<long> IngestAsync(TestDatabase db, IReadOnlyList<string> files, bool demoProviders)
    {
        using var app = TestApp.Build(db, b => b.AddJobServer(), ("Scheduling:SchedulePollingSeconds", "1"),
            ("Logging:LogLevel:Default", "Warning"));
        await app.StartAsync();
        try
        {
            await app.Services.GetRequiredService<SampleReturns>()
                .SubmitAndWaitAsync(files, TimeSpan.FromMinutes(5), default, demoProviders: demoProviders);
            return await app.Services.GetRequiredService<KpiEngine>().ComputeSnapshotAsync("2025");
        }
        finally { await app.StopAsync(); }
    }
}
