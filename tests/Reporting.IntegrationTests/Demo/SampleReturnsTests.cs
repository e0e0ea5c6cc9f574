using Microsoft.Extensions.Logging.Abstractions;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;
using Reporting.Scheduling;
using Reporting.Uploads;
using Reporting.Demo;
using Reporting.IntegrationTests.Uploads;

namespace Reporting.IntegrationTests.Demo;

public sealed class SampleReturnsTests
{
    [Fact]
    public async Task The_demo_samples_are_ingested_by_jobs_and_a_second_run_duplicates_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        using var app = TestApp.Build(db, b => b.AddJobServer(), ("Scheduling:SchedulePollingSeconds", "1"));
        await app.StartAsync();
        var files = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "data", "samples"), "*.xlsx");
        var samples = files.Length;

        var first = await app.Services.GetRequiredService<SampleReturns>().SubmitAndWaitAsync(files,
            TimeSpan.FromMinutes(3), default);
        var facts = await db.ScalarAsync<long>(
            "select (select count(*) from cost_facts) + (select count(*) from supply_facts) + (select count(*) from "
                + "ozg_facts)");
        var second = await app.Services.GetRequiredService<SampleReturns>().SubmitAndWaitAsync(files,
            TimeSpan.FromMinutes(3), default);

        Assert.True(samples >= 3);
        Assert.Equal(new SampleRun(samples, samples, 0, 0, 0), first);
        Assert.Equal(new SampleRun(samples, samples, 0, 0, samples), second);
        Assert.Equal(samples, await db.ScalarAsync<int>("select count(*) from return_versions"));
        Assert.Equal(samples, await db.ScalarAsync<int>("select count(*) from uploads"));
        Assert.Equal(facts,
            await db.ScalarAsync<long>(
                "select (select count(*) from cost_facts) + (select count(*) from supply_facts) + (select count(*) "
                    + "from ozg_facts)"));
        Assert.Equal(3,
            await db.ScalarAsync<int>("select count(*) from providers where code in ('KDZA', 'ITVB', 'WTIT')"));
        await app.StopAsync();
    }

    [Fact]
    public void The_demo_loads_the_samples_period_by_period_earliest_first()
    {
        var groups = SampleReturns.FilesByPeriod(Path.Combine(TestPaths.RepoRoot, "data", "samples"));

        Assert.Equal(["2024", "2025"], groups.Select(g => Path.GetFileNameWithoutExtension(g[0]).Split('-')[1]));
        Assert.All(groups, g
            => Assert.Single(g.Select(f => Path.GetFileNameWithoutExtension(f).Split('-')[1]).Distinct()));
        Assert.Equal(Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "data", "samples"), "*.xlsx").Length,
            groups.Sum(g => g.Length));
    }
}
