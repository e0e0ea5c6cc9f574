using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using Reporting.IntegrationTests.Support;
using Reporting.Kpis;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Kpis;

public sealed class KpiSnapshotJobTests
{
    [Fact]
    public async Task The_snapshot_job_runs_through_Hangfire_on_the_kpis_queue_and_a_second_run_reuses_the_snapshot()
    {
        await using var db = await TestDatabase.CreateAsync();
        await KpiFixture.CreateAsync(db);
        using var app = TestApp.Build(db, b => b.AddJobServer(), ("Scheduling:SchedulePollingSeconds", "1"),
            ("Scheduling:QueuePollSeconds", "1"));
        await app.StartAsync();
        try
        {
            var jobs = app.Services.GetRequiredService<IBackgroundJobClient>();
            var monitor = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

            async Task<JobDetailsDto> RunAsync()
            {
                var id = KpiSnapshotJob.Enqueue(jobs, "2025");
                for (var i = 0; i < 600; i++)
                {
                    var details = monitor.JobDetails(id);
                    var state = details?.History.FirstOrDefault()?.StateName;
                    if (state is "Succeeded" or "Failed") return details!;
                    await Task.Delay(100);
                }
                throw new Xunit.Sdk.XunitException($"job {id} did not finish");
            }

            var first = await RunAsync();
            Assert.Equal("Succeeded", first.History[0].StateName);
            Assert.Contains(first.History, h => h.StateName == "Enqueued" && h.Data.TryGetValue("Queue", out var q)
                && q == KpiSnapshotJob.Queue);
            Assert.Equal(1, await db.ScalarAsync<int>("select count(*) from kpi_snapshots where period = '2025'"));

            var second = await RunAsync();
            Assert.Equal("Succeeded", second.History[0].StateName);
            Assert.Equal(1, await db.ScalarAsync<int>("select count(*) from kpi_snapshots where period = '2025'"));
        }
        finally { await app.StopAsync(); }
    }
}
