using Hangfire;
using Reporting.Delivery;
using Reporting.IntegrationTests.Support;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Scheduling;

/// <summary>
/// A failed step stops the chain, shows in the job console with its exception, and its retry continues it.
/// </summary>
public sealed class ChainRetryTests
{
    /// <summary>Fails until told otherwise, like a renderer that hits a database outage.</summary>
    sealed class BrokenThenFixedSource : IExecutiveReportSource
    {
        public volatile bool Broken = true;
        public Task<ExecutiveReport> BuildAsync(JobDefinition s, long snapshotId, CancellationToken ct) => Broken
            ? throw new InvalidOperationException("renderer down (test)")
            : Task.FromResult(new ExecutiveReport { ReportTitle = "Kennzahlenbericht", ScopeLabel = "NRW",
                PeriodLabel = "2025", SnapshotId = snapshotId, Period = "2025" });
    }

    [Fact]
    public async Task A_failed_new_data_step_is_visible_in_the_console_and_its_retry_sends_the_mail_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("chain-retry-").FullName;
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
        var source = new BrokenThenFixedSource();
        var pickup = Path.Combine(dir, "mail");
        using var host = TestApp.Build(db, b
            => { b.Services.AddSingleton<IExecutiveReportSource>(source); b.AddJobServer(); },
            ("Paths:Jobs", jobs), ("Smtp:Host", ""), ("Smtp:PickupDirectory", pickup),
                ("Scheduling:SchedulePollingSeconds", "1"), ("Logging:LogLevel:Default", "Critical"));
        await host.StartAsync();
        var storage = host.Services.GetRequiredService<JobStorage>();

        var jobId = ScheduledJobs.EnqueueNewData(host.Services.GetRequiredService<IBackgroundJobClient>(), snapshot);

        // The step failed: Hangfire holds it for a retry (state Scheduled, with the exception), nothing was mailed.
        var failed = await Eventually.WaitForAsync(() => Task.FromResult(storage.GetMonitoringApi().JobDetails(jobId)),
            d => d.History.Any(h => h.StateName == "Failed"), "the new-data job to fail");
        Assert.Contains(failed.History, h => h.StateName == "Failed"
            && h.Data["ExceptionMessage"].Contains("renderer down"));
        Assert.Equal(0, await db.ScalarAsync<int>("select count(*) from deliveries"));

        // The admin fixes the cause and presses "retry" in the console (requeue): the chain goes on to the mail.
        source.Broken = false;
        Assert.True(host.Services.GetRequiredService<IBackgroundJobClient>().Requeue(jobId));
        await Eventually.WaitForAsync(() => db.ScalarAsync<int>(
            "select count(*) from deliveries where status = 'sent'"), n => n == 1, "the executive mail");
        Assert.Single(Directory.GetFiles(pickup, "*.eml"));

        // A second run of the same step mails nobody again.
        var again = ScheduledJobs.EnqueueNewData(host.Services.GetRequiredService<IBackgroundJobClient>(), snapshot);
        await Eventually.WaitForAsync(() => Task.FromResult(storage.GetMonitoringApi().JobDetails(again)
            .History.FirstOrDefault()?.StateName), s => s == "Succeeded", "the second run");
        Assert.Equal(1, await db.ScalarAsync<int>("select count(*) from deliveries"));
        await host.StopAsync();
        Directory.Delete(dir, recursive: true);
    }
}
