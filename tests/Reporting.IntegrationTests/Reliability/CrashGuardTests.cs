using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Hangfire.Storage.Monitoring;
using Reporting.IntegrationTests.Support;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Reliability;

/// <summary>Jobs for these tests: each run is counted, so a job that must not run can be seen not to.</summary>
public static class GuardedJobs
{
    public static readonly ConcurrentDictionary<string, int> Runs = new();

    public static void Record(string tag) => Runs.AddOrUpdate(tag, 1, (_, n) => n + 1);

    [AutomaticRetry(Attempts = 1, DelaysInSeconds = new[] { 1 })]
    public static void ThrowOnce(string tag)
    {
        if (Runs.AddOrUpdate(tag, 1, (_, n) => n + 1) == 1)
            throw new InvalidOperationException("first try fails (test)");
    }
}

/// <summary>
/// A job whose process died while running it: the attempt rows a dead process leaves behind are written here as it
/// would have left them (the kill itself is WorkerKillTests' subject), and the next start of the job is watched.
/// </summary>
public sealed class CrashGuardTests
{
    [Fact]
    public async Task A_job_that_died_with_its_process_twice_fails_for_good_with_the_reason_and_others_run_as_before()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var host = TestApp.Build(db, b => b.AddJobServer(), ("Scheduling:SchedulePollingSeconds", "1"),
            ("Scheduling:QueuePollSeconds", "1"), ("Logging:LogLevel:Default", "Critical"));
        var client = host.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = host.Services.GetRequiredService<JobStorage>();
        var tag = Guid.NewGuid().ToString("N");

        // Enqueued before the server starts; the "crashed" job has two attempts that never ended.
        var crashed = client.Enqueue(() => GuardedJobs.Record(tag + ":crashed"));
        var onceDied = client.Enqueue(() => GuardedJobs.Record(tag + ":once"));
        var healthy = client.Enqueue(() => GuardedJobs.Record(tag + ":healthy"));
        var throwing = client.Enqueue(() => GuardedJobs.ThrowOnce(tag + ":throwing"));
        await AttemptAsync(db, crashed, "dead-worker:1");
        await AttemptAsync(db, crashed, "dead-worker:2");
        await AttemptAsync(db, onceDied, "dead-worker:1");
        await host.StartAsync();
        try
        {
            var failed = await Eventually.WaitForAsync(() => Task.FromResult(State(storage, crashed)),
                h => h?.StateName == "Failed", "the twice-crashed job to fail");
            Assert.Contains("2-mal", failed!.Reason);
            Assert.Contains("nicht erneut gestartet", failed.Data["ExceptionMessage"]);
            Assert.Contains("dead-worker:2", failed.Data["ExceptionMessage"]);

            foreach (var id in new[] { throwing, onceDied, healthy })
                await SucceededAsync(storage, id);
            await Task.Delay(TimeSpan.FromSeconds(3));   // a retry of the failed job would be due by now

            Assert.Equal("Failed", State(storage, crashed)!.StateName);
            Assert.False(GuardedJobs.Runs.ContainsKey(tag + ":crashed"));
            Assert.Equal(1, GuardedJobs.Runs[tag + ":once"]);       // one death: recognised, run again
            Assert.Equal(1, GuardedJobs.Runs[tag + ":healthy"]);
            // A job that throws keeps Hangfire's retry: it failed once, was scheduled again and then succeeded.
            Assert.Equal(2, GuardedJobs.Runs[tag + ":throwing"]);
            Assert.Contains(storage.GetMonitoringApi().JobDetails(throwing).History, h => h.StateName == "Scheduled");
            // Runs that ended (success or exception) leave no attempt behind; the deaths are kept, the two as given up.
            Assert.Equal(0, await db.ScalarAsync<int>(
                $"select count(*) from job_attempts where job_id in ('{healthy}', '{throwing}')"));
            Assert.Equal(2, await db.ScalarAsync<int>(
                $"select count(*) from job_attempts where job_id = '{crashed}' and given_up_at is not null"));

            // An admin who fixed the cause requeues it from the console: it runs again.
            Assert.True(client.Requeue(crashed));
            await SucceededAsync(storage, crashed);
            Assert.Equal(1, GuardedJobs.Runs[tag + ":crashed"]);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_job_whose_worker_process_is_killed_twice_is_not_started_by_the_third_worker()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var app = TestApp.Build(db);
        var storage = app.Services.GetRequiredService<JobStorage>();   // installs the hangfire schema
        var jobs = Directory.CreateTempSubdirectory("crash-guard-jobs-").FullName;
        var tag = Guid.NewGuid().ToString("N");
        var jobId = app.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<ProbeJobs>(j => j.Record(tag, 120_000, null, CancellationToken.None));
        var processes = new List<Process>();
        try
        {
            // Each worker gets as far as running the job (its attempt row is written), then dies by SIGKILL.
            for (var death = 1; death <= CrashGuard.MaxDeaths; death++)
            {
                var worker = StartWorker(db, jobs);
                processes.Add(worker);
                await Eventually.WaitForAsync(
                    () => db.ScalarAsync<int>($"select count(*) from job_attempts where job_id = '{jobId}'"),
                    n => n == death, $"run {death} of the job to start", 120);
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
            }

            processes.Add(StartWorker(db, jobs));
            var failed = await Eventually.WaitForAsync(() => Task.FromResult(State(storage, jobId)),
                h => h?.StateName == "Failed", "the third worker to fail the job", 120);

            Assert.Contains("nicht erneut gestartet", failed!.Data["ExceptionMessage"]);
            Assert.Equal(0, await db.ScalarAsync<int>("select count(*) from job_probes"));
            Assert.Equal(2, await db.ScalarAsync<int>($"select count(*) from job_attempts where job_id = '{jobId}'"));
        }
        finally
        {
            foreach (var p in processes)
            {
                if (!p.HasExited) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }
                p.Dispose();
            }
            Directory.Delete(jobs, recursive: true);
        }
    }

    static Process StartWorker(TestDatabase db, string jobs) =>
        AppProcess.StartWorker(db, jobs, new Dictionary<string, string>
    {
        ["Scheduling__InvisibilityTimeoutSeconds"] = "5",
        ["Scheduling__SchedulePollingSeconds"] = "1",
        ["Scheduling__QueuePollSeconds"] = "1",
    });

    static StateHistoryDto? State(JobStorage storage, string jobId) =>
        storage.GetMonitoringApi().JobDetails(jobId)?.History.FirstOrDefault();

    static Task SucceededAsync(JobStorage storage, string jobId) =>
        Eventually.WaitForAsync(() => Task.FromResult(State(storage, jobId)?.StateName), s => s == "Succeeded",
            $"job {jobId} to succeed");

    static async Task AttemptAsync(TestDatabase db, string jobId, string server)
    {
        await using var cmd = db.DataSource.CreateCommand(
            "insert into job_attempts (job_id, server_id) values ($1, $2)");
        cmd.Parameters.Add(new() { Value = jobId });
        cmd.Parameters.Add(new() { Value = server });
        await cmd.ExecuteNonQueryAsync();
    }
}
