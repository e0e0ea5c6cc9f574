using System.Diagnostics;
using Hangfire;
using Reporting.IntegrationTests.Support;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Scheduling;

public sealed class WorkerProcessTests
{
    [Fact]
    public async Task Two_worker_processes_share_one_queue_and_run_each_job_once()
    {
        await using var db = await TestDatabase.CreateAsync();
        var jobs = Directory.CreateTempSubdirectory("worker-jobs-").FullName;
        using var host = TestApp.Build(db, null, ("Paths:Jobs", jobs), ("Logging:LogLevel:Default", "Warning"));
        // Resolving the storage installs the hangfire schema before the workers race for it.
        var storage = host.Services.GetRequiredService<JobStorage>();
        var workers = new List<Process>();
        try
        {
            for (var i = 0; i < 2; i++) workers.Add(AppProcess.StartWorker(db, jobs));
            await Eventually.WaitForAsync(() => Task.FromResult(storage.GetMonitoringApi().Servers().Count), n
                => n == 2, "two worker servers to report", 120);

            var client = host.Services.GetRequiredService<IBackgroundJobClient>();
            var tags = Enumerable.Range(1, 20).Select(i => $"probe-{i:00}").ToList();
            foreach (var tag in tags) client.Enqueue<ProbeJobs>(j => j.Record(tag, 300, null, CancellationToken.None));

            await Eventually.WaitForAsync(() => db.ScalarAsync<int>("select count(*) from job_probes"), n => n >= 20,
                "20 probe jobs", 120);
            Assert.Equal(20, await db.ScalarAsync<int>("select count(distinct tag) from job_probes"));
            Assert.Equal(20, await db.ScalarAsync<int>("select count(*) from job_probes"));
            var pids = await db.ScalarAsync<string>(
                "select string_agg(distinct process_id::text, ',') from job_probes");
            Assert.Equal(workers.Select(w => w.Id.ToString()).Order(), pids.Split(',').Order());
            Assert.Equal(2, await db.ScalarAsync<int>("select count(distinct server_name) from job_probes"));
            // A job writes its probe row before Hangfire moves it to Succeeded, so the state can trail by a moment.
            await Eventually.WaitForAsync(() => Task.FromResult(storage.GetMonitoringApi().SucceededListCount()), n
                => n >= 20, "20 jobs in state Succeeded", 60);
            Assert.Equal(20, storage.GetMonitoringApi().SucceededListCount());
        }
        finally
        {
            foreach (var w in workers)
            {
                if (!w.HasExited) { w.Kill(entireProcessTree: true); await w.WaitForExitAsync(); }
                w.Dispose();
            }
            Directory.Delete(jobs, recursive: true);
        }
    }
}
