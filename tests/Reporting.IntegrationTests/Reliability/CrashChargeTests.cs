using System.Diagnostics;
using Hangfire;
using Hangfire.Storage.Monitoring;
using Npgsql;
using Reporting.Ingestion;
using Reporting.IntegrationTests.Ingestion;
using Reporting.IntegrationTests.Support;
using Reporting.Pipeline;
using Reporting.Scheduling;
using Xunit.Abstractions;

namespace Reporting.IntegrationTests.Reliability;

/// <summary>Jobs for these tests that end in a known way.</summary>
public static class ChargedJobs
{
    [AutomaticRetry(Attempts = 0)]
    public static void Fail() => throw new InvalidOperationException("fails for good (test)");

    public static void Succeed() { }
}

/// <summary>
/// A process death is charged to the job that was doing its work, not to jobs only waiting in the same process
/// (an ingest waiting for the ingest slot), and a job's attempt rows end with the job.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class CrashChargeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_worker_killed_twice_in_one_providers_ingest_fails_that_job_and_the_waiting_return_is_accepted()
    {
        await using var scenario = await IntakeScenario.CreateAsync();
        var db = scenario.Db;
        var jobs = Directory.CreateTempSubdirectory("crash-charge-jobs-").FullName;
        var storage = scenario.App.Services.GetRequiredService<JobStorage>();   // installs the hangfire schema
        var intake = scenario.App.Services.GetRequiredService<UploadIntake>();
        var reference = DemoReturnReference.Load(TestPaths.DemoReference);
        var files = new Dictionary<string, byte[]>();
        foreach (var code in new[] { "KDZA", "ITVB" })
        {
            var path = Path.Combine(jobs, $"{code}-2025.xlsx");
            DemoReturnWriter.Write(DemoReturnGenerator.Generate(reference,
                reference.Providers.Single(p => p.Code == code), "2025", 42), reference.Catalog, path);
            files[code] = await File.ReadAllBytesAsync(path);
            File.Delete(path);
        }

        // KDZA's ingest holds the only ingest slot and hangs at its first statement: the test holds its version row.
        var kdza = (await intake.SubmitAsync(files["KDZA"], "KDZA-2025.xlsx", "KDZA", "test")).VersionId;
        var kdzaJob = await JobOfAsync(db, kdza);
        await using var rowHolder = await db.DataSource.OpenConnectionAsync();
        var rowLock = await rowHolder.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand($"select 1 from return_versions where id = {kdza} for update",
            rowHolder, rowLock)) await cmd.ExecuteNonQueryAsync();

        var processes = new List<Process>();
        try
        {
            // Death 1: KDZA works (holds the slot), ITVB waits for the slot in the same process.
            var since = await db.ScalarAsync<DateTime>("select now()");
            processes.Add(StartWorker(db, jobs));
            await WorkingRunsAsync(db, kdzaJob, 1, "KDZA's ingest to hold the slot");
            var itvb = (await intake.SubmitAsync(files["ITVB"], "ITVB-2025.xlsx", "ITVB", "test")).VersionId;
            var itvbJob = await JobOfAsync(db, itvb);
            await WaitingRunAsync(db, itvbJob, since, "ITVB's ingest to wait for the slot");
            await KillAsync(processes[^1]);

            // Death 2, the same again: ITVB's job stays out of the queue until KDZA holds the slot.
            await using (var queueHolder = await db.DataSource.OpenConnectionAsync())
            {
                await using var queueLock = await queueHolder.BeginTransactionAsync();
                await using (var cmd = new NpgsqlCommand(
                    $"select 1 from hangfire.jobqueue where jobid = {itvbJob} for update", queueHolder, queueLock))
                    await cmd.ExecuteNonQueryAsync();
                since = await db.ScalarAsync<DateTime>("select now()");
                processes.Add(StartWorker(db, jobs));
                await WorkingRunsAsync(db, kdzaJob, 2, "KDZA's ingest to hold the slot again");
                await queueLock.RollbackAsync();
            }
            await WaitingRunAsync(db, itvbJob, since, "ITVB's ingest to wait for the slot again");
            await KillAsync(processes[^1]);

            // A third worker: KDZA died twice while working and is failed for good; ITVB never worked, so it runs.
            await rowLock.RollbackAsync();
            var killed = Stopwatch.StartNew();
            processes.Add(StartWorker(db, jobs));
            var itvbState = await Eventually.WaitForAsync(() => Task.FromResult(State(storage, itvbJob)?.StateName),
                s => s is "Succeeded" or "Failed", "ITVB's ingest to end", 150);
            output.WriteLine($"ITVB's ingest ended {killed.Elapsed.TotalSeconds:0.0} s after the second kill");

            Assert.Equal("Succeeded", itvbState);
            Assert.Equal("accepted",
                await db.ScalarAsync<string>($"select status from return_versions where id = {itvb}"));
            var failed = await Eventually.WaitForAsync(() => Task.FromResult(State(storage, kdzaJob)),
                h => h?.StateName == "Failed", "KDZA's ingest to be failed for good", 60);
            Assert.Contains($"{CrashGuard.MaxDeaths}-mal", failed!.Reason);
            Assert.Equal("received",
                await db.ScalarAsync<string>($"select status from return_versions where id = {kdza}"));
            // ITVB's job ended: none of its rows stays. KDZA keeps the two deaths it was given up for.
            Assert.Equal(0, await db.ScalarAsync<int>($"select count(*) from job_attempts where job_id = '{itvbJob}'"));
            Assert.Equal(2, await db.ScalarAsync<int>($"""
                select count(*) from job_attempts
                where job_id = '{kdzaJob}' and given_up_at is not null and working_since is not null
                """));
            Assert.Equal(2, await db.ScalarAsync<int>($"select count(*) from job_attempts where job_id = '{kdzaJob}'"));
        }
        finally
        {
            foreach (var p in processes)
            {
                if (!p.HasExited) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }
                p.Dispose();
            }
            if (rowHolder.State == System.Data.ConnectionState.Open) await rowLock.DisposeAsync();
            Directory.Delete(jobs, recursive: true);
        }
    }

    [Fact]
    public async Task Runs_that_died_waiting_are_not_deaths_and_a_jobs_attempt_rows_end_when_the_job_ends()
    {
        await using var db = await TestDatabase.CreateAsync();
        using var host = TestApp.Build(db, b => b.AddJobServer(), ("Scheduling:SchedulePollingSeconds", "1"),
            ("Scheduling:QueuePollSeconds", "1"), ("Logging:LogLevel:Default", "Critical"));
        var client = host.Services.GetRequiredService<IBackgroundJobClient>();
        var storage = host.Services.GetRequiredService<JobStorage>();

        // Enqueued before the server starts, with rows as dead processes would have left them.
        var waitedOften = client.Enqueue(() => ChargedJobs.Succeed());
        await AttemptAsync(db, waitedOften, working: true);
        await AttemptAsync(db, waitedOften, working: false);
        await AttemptAsync(db, waitedOften, working: false);
        var failing = client.Enqueue(() => ChargedJobs.Fail());
        await AttemptAsync(db, failing, working: true);
        await AttemptAsync(db, failing, working: false);
        var deleted = client.Enqueue(() => ChargedJobs.Succeed());
        await AttemptAsync(db, deleted, working: true);
        Assert.True(client.Delete(deleted));
        await host.StartAsync();
        try
        {
            // One death and two waits: one death counts, so it runs.
            await Eventually.WaitForAsync(() => Task.FromResult(State(storage, waitedOften)?.StateName),
                s => s == "Succeeded", "the job that mostly waited to run");
            var failed = await Eventually.WaitForAsync(() => Task.FromResult(State(storage, failing)),
                h => h?.StateName == "Failed", "the throwing job to fail");
            Assert.Contains("fails for good", failed!.Data["ExceptionMessage"]);

            Assert.Equal(0, await db.ScalarAsync<int>($"""
                select count(*) from job_attempts where job_id in ('{waitedOften}', '{failing}', '{deleted}')
                """));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    static Process StartWorker(TestDatabase db, string jobs) => AppProcess.StartWorker(db, jobs,
        new Dictionary<string, string>
        {
            ["Scheduling__InvisibilityTimeoutSeconds"] = "5",
            ["Scheduling__SchedulePollingSeconds"] = "1",
            ["Scheduling__QueuePollSeconds"] = "1",
            ["Uploads__MaxConcurrentIngests"] = "1",
        });

    static async Task KillAsync(Process worker)
    {
        worker.Kill(entireProcessTree: true);   // SIGKILL: no shutdown, no requeue
        await worker.WaitForExitAsync();
    }

    /// <summary>The Hangfire job that ingests a version (the intake enqueued it with the version's id).</summary>
    static async Task<string> JobOfAsync(TestDatabase db, long versionId) =>
        (await Eventually.WaitForAsync(() => db.ScalarAsync<long>($"""
            select coalesce(max(id), 0) from hangfire.job
            where invocationdata::jsonb ->> 'Type' like '%{nameof(IngestJob)}%'
              and arguments::jsonb ->> 0 = '{versionId}'
            """), id => id > 0, $"the ingest job of version {versionId}")).ToString(
            System.Globalization.CultureInfo.InvariantCulture);

    static Task WorkingRunsAsync(TestDatabase db, string jobId, int runs, string what) =>
        Eventually.WaitForAsync(() => db.ScalarAsync<int>($"""
            select count(*) from job_attempts where job_id = '{jobId}' and working_since is not null
            """), n => n == runs, what, 120);

    static Task WaitingRunAsync(TestDatabase db, string jobId, DateTime since, string what) =>
        Eventually.WaitForAsync(() => db.ScalarAsync<int>($"""
            select count(*) from job_attempts
            where job_id = '{jobId}' and working_since is null and started_at > '{since:O}'
            """), n => n == 1, what, 120);

    static StateHistoryDto? State(JobStorage storage, string jobId) =>
        storage.GetMonitoringApi().JobDetails(jobId)?.History.FirstOrDefault();

    static async Task AttemptAsync(TestDatabase db, string jobId, bool working)
    {
        await using var cmd = db.DataSource.CreateCommand("""
            insert into job_attempts (job_id, server_id, working_since)
            values ($1, 'dead-worker', case when $2 then now() end)
            """);
        cmd.Parameters.Add(new() { Value = jobId });
        cmd.Parameters.Add(new() { Value = working });
        await cmd.ExecuteNonQueryAsync();
    }
}
