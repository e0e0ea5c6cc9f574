using Reporting.Demo;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;
using Reporting.Scheduling;
using Reporting.Uploads;

namespace Reporting.IntegrationTests.Demo;

/// <summary>
/// <c>demo --reference DIR</c> up to the ingest: the reference's providers registered, one generated return each,
/// ingested through Hangfire. On two kreisfreie Städte cut from the real files, so the suite stays fast; the full run
/// (53 district dashboards) is measured by hand (README).
/// </summary>
public sealed class DemoReferenceTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("demo-reference-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>The real files cut to Herne (05916) and Remscheid (05120): one municipality, provider each.</summary>
    string SmallReference()
    {
        var reference = Directory.CreateDirectory(Path.Combine(dir, "reference")).FullName;
        string[] keep = [",05916,", ",05120,"];
        foreach (var file in new[] { ReferenceImporter.MunicipalitiesFile, ReferenceImporter.ProviderAreasFile })
        {
            var lines = File.ReadAllLines(Path.Combine(TestPaths.SharedReference, file));
            var kept = lines.Take(1).Concat(lines.Skip(1).Where(l => keep.Any(l.Contains))).ToList();
            File.WriteAllLines(Path.Combine(reference, file), kept);
        }
        File.Copy(Path.Combine(TestPaths.SharedReference, ReferenceImporter.OzgFile),
            Path.Combine(reference, ReferenceImporter.OzgFile));
        return reference;
    }

    [SharedReferenceFact]
    public async Task Each_provider_of_the_reference_gets_a_return_ingested_through_Hangfire_and_a_rerun_adds_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        var reference = SmallReference();
        using var host = TestApp.Build(db, b => b.AddJobServer(),
            ("Scheduling:SchedulePollingSeconds", "1"), ("Logging:LogLevel:Default", "Warning"));
        await host.StartAsync();
        try
        {
            var import = await host.Services.GetRequiredService<ReferenceImporter>()
                .ImportAsync(reference, new DateOnly(2019, 12, 31));
            var files = ReferenceReturns.Write(reference, Path.Combine(dir, "out", "returns"));
            var samples = host.Services.GetRequiredService<SampleReturns>();

            var run = await samples.SubmitAndWaitAsync(files, TimeSpan.FromMinutes(2), CancellationToken.None,
                demoProviders: false);

            Assert.Equal(2, import.Providers);
            Assert.Equal(["ST-HERNE-2025.xlsx", "ST-REMSCHEID-2025.xlsx"], files.Select(Path.GetFileName));
            Assert.Equal(new SampleRun(2, 2, 0, 0, 0), run);
            Assert.Equal("ST-HERNE,ST-REMSCHEID",
                await db.ScalarAsync<string>("select string_agg(code, ',' order by code) from providers"));
            Assert.Equal(2, await db.ScalarAsync<int>("select count(*) from current_versions where period = '2025'"));

            var again = await samples.SubmitAndWaitAsync(
                ReferenceReturns.Write(reference, Path.Combine(dir, "out", "returns")),
                TimeSpan.FromMinutes(2), CancellationToken.None, demoProviders: false);

            Assert.Equal(2, again.Recognised);
            Assert.Equal(2, await db.ScalarAsync<int>("select count(*) from return_versions"));
        }
        finally { await host.StopAsync(); }
    }

    [Fact]
    public void A_reference_gets_a_database_of_its_own_named_after_its_folder() =>
        Assert.Equal("reporting_reference", ReferenceReturns.DatabaseName("../shared/reference/"));
}
