using System.Diagnostics;
using Hangfire;
using Reporting.Delivery;
using Reporting.IntegrationTests.Support;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Scheduling;

/// <summary>
/// Waiting for jobs stops at the first failure, over real Hangfire storage, instead of waiting for retries.
/// </summary>
public sealed class JobWatchTests
{
    sealed class BrokenSource : IExecutiveReportSource
    {
        public Task<ExecutiveReport> BuildAsync(JobDefinition s, long snapshotId, CancellationToken ct) =>
            throw new InvalidOperationException("renderer down (test)");
    }

    static async Task<(IHost Host, long Snapshot, string Dir)> StartAsync(TestDatabase db)
    {
        var dir = Directory.CreateTempSubdirectory("job-watch-").FullName;
        var jobs = Directory.CreateDirectory(Path.Combine(dir, "jobs")).FullName;
        await File.WriteAllTextAsync(Path.Combine(jobs, "vorstand.json"), """
            { "id": "vorstand", "kind": "subscription", "report": "kennzahlen", "scope": "nrw", "period": "2025",
              "trigger": "new-data",
              "minCompleteness": 0, "recipients": [ { "name": "Vorstand", "address": "vorstand@example.org" } ] }
            """);
        var snapshot = await db.ScalarAsync<long>("""
            with p as (insert into periods (period, starts_on, ends_on, deadline, closed)
              values ('2025', '2025-01-01', '2025-12-31', '2026-03-31', false) returning period)
            insert into kpi_snapshots (period, return_version_ids, returns_expected, returns_received, completeness,
              catalogue_hash, input_hash)
            select period, '{}', 3, 3, 1.0, 'c', 'x' from p returning id
            """);
        var host = TestApp.Build(db, b
            => { b.Services.AddSingleton<IExecutiveReportSource>(new BrokenSource()); b.AddJobServer(); },
            ("Paths:Jobs", jobs), ("Smtp:Host", ""), ("Smtp:PickupDirectory", Path.Combine(dir, "mail")),
                ("Paths:Logs", Path.Combine(dir, "logs")),
            ("Scheduling:SchedulePollingSeconds", "1"), ("Logging:LogLevel:Default", "Critical"));
        await host.StartAsync();
        return (host, snapshot, dir);
    }

    [Fact]
    public async Task Waiting_for_jobs_stops_within_seconds_at_a_job_that_failed_and_is_scheduled_for_a_retry()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (host, snapshot, dir) = await StartAsync(db);
        try
        {
            var watch = new JobWatch(host.Services.GetRequiredService<JobStorage>());
            var jobId = ScheduledJobs.EnqueueNewData(host.Services.GetRequiredService<IBackgroundJobClient>(),
                snapshot);

            var waited = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<JobsFailedException>(()
                => watch.WaitIdleAsync(TimeSpan.FromMinutes(3), CancellationToken.None));

            // The job's retries are 60 s apart: waiting for them, as before, took minutes.
            Assert.InRange(waited.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
            var failure = Assert.Single(e.Failures);
            Assert.Equal(jobId, failure.JobId);
            Assert.Equal("ScheduledJobs.NewData", failure.Job);
            Assert.Equal("InvalidOperationException: renderer down (test)", failure.Exception);
            Assert.True(failure.RetryScheduled);
            Assert.Contains($"job {jobId} ScheduledJobs.NewData (step ", failure.ToString());
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_failure_from_before_the_watch_began_does_not_count()
    {
        await using var db = await TestDatabase.CreateAsync();
        var (host, snapshot, dir) = await StartAsync(db);
        try
        {
            var storage = host.Services.GetRequiredService<JobStorage>();
            var jobId = ScheduledJobs.EnqueueNewData(host.Services.GetRequiredService<IBackgroundJobClient>(),
                snapshot);
            await Eventually.WaitForAsync(() => Task.FromResult(storage.GetMonitoringApi().JobDetails(jobId)),
                d => d.History.Any(h => h.StateName == "Failed"), "the new-data job to fail");
            await Task.Delay(TimeSpan.FromSeconds(3));   // beyond the watch's allowance for clock skew

            Assert.Empty(new JobWatch(storage).Failures());
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }
}
