using System.Collections.Concurrent;
using Hangfire;
using Npgsql;
using Reporting.IntegrationTests.Support;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Scheduling;

/// <summary>A job that notes which database its host's services point at.</summary>
public sealed class WhereAmIJob(NpgsqlDataSource db)
{
    public static readonly ConcurrentDictionary<string, string> Seen = new();

    public async Task RunAsync(string tag)
    {
        await using var cmd = db.CreateCommand("select current_database()");
        Seen[tag] = (string)(await cmd.ExecuteScalarAsync())!;
    }
}

/// <summary>A job for these tests whose retry attribute is first built (with its logger) when it first runs.</summary>
public static class RetriedOnceJobs
{
    public static readonly ConcurrentDictionary<string, int> Runs = new();

    [AutomaticRetry(Attempts = 1, DelaysInSeconds = new[] { 1 })]
    public static void ThrowOnce(string tag)
    {
        if (Runs.AddOrUpdate(tag, 1, (_, n) => n + 1) == 1) throw new InvalidOperationException("first try (test)");
    }
}

/// <summary>
/// Two hosts in one process (as the tests run them side by side), each on its own database: each keeps its own
/// Hangfire storage, job activator and filters, whichever was built last.
/// </summary>
public sealed class HostsSideBySideTests
{
    [Fact]
    public async Task Each_host_enqueues_into_its_own_database_and_runs_the_job_with_its_own_services()
    {
        await using var first = await TestDatabase.CreateAsync();
        await using var second = await TestDatabase.CreateAsync();
        (string, string)[] settings = [("Scheduling:SchedulePollingSeconds", "1"),
            ("Logging:LogLevel:Default", "Critical")];
        using var a = TestApp.Build(first, x => x.AddJobServer(), settings);
        using var b = TestApp.Build(second, x => x.AddJobServer(),
            [.. settings, ("Scheduling:SucceededJobRetentionDays", "2")]);
        await a.StartAsync();
        await b.StartAsync();
        try
        {
            var tagA = Guid.NewGuid().ToString("N");
            var tagB = Guid.NewGuid().ToString("N");
            a.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<WhereAmIJob>(j => j.RunAsync(tagA));
            b.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<WhereAmIJob>(j => j.RunAsync(tagB));

            await Eventually.WaitForAsync(() => Task.FromResult(WhereAmIJob.Seen.ContainsKey(tagA)
                && WhereAmIJob.Seen.ContainsKey(tagB)), done => done, "both jobs to run");
            Assert.Equal(first.Name, WhereAmIJob.Seen[tagA]);
            Assert.Equal(second.Name, WhereAmIJob.Seen[tagB]);
            Assert.Equal(1, await first.ScalarAsync<int>("select count(*) from hangfire.job"));
            Assert.Equal(1, await second.ScalarAsync<int>("select count(*) from hangfire.job"));
            // Each host's filters ran on its own job: succeeded jobs are kept as its own options say.
            Assert.Equal(7, await KeptDaysAsync(first));
            Assert.Equal(2, await KeptDaysAsync(second));
        }
        finally
        {
            await a.StopAsync();
            await b.StopAsync();
        }
    }

    static async Task<int> KeptDaysAsync(TestDatabase db) => (int)Math.Round(await Eventually.WaitForAsync(
        () => db.ScalarAsync<double>(
            "select coalesce(extract(epoch from max(expireat) - now()) / 86400, -1)::float8 from hangfire.job"),
        days => days > 0, "the succeeded job's expiry"));

    [Fact]
    public async Task A_host_runs_and_retries_its_jobs_after_another_host_in_the_process_was_disposed()
    {
        await using var first = await TestDatabase.CreateAsync();
        await using var second = await TestDatabase.CreateAsync();
        (string, string)[] settings = [("Scheduling:SchedulePollingSeconds", "1"),
            ("Logging:LogLevel:Default", "Critical")];
        using var a = TestApp.Build(first, x => x.AddJobServer(), settings);
        await a.StartAsync();
        var b = TestApp.Build(second, x => x.AddJobServer(), settings);
        await b.StartAsync();   // the host configured last: Hangfire's process-wide log provider is now its own
        await b.StopAsync();
        b.Dispose();
        try
        {
            var tag = Guid.NewGuid().ToString("N");
            var id = a.Services.GetRequiredService<IBackgroundJobClient>()
                .Enqueue(() => RetriedOnceJobs.ThrowOnce(tag));

            var storage = a.Services.GetRequiredService<JobStorage>();
            await Eventually.WaitForAsync(() => Task.FromResult(storage.GetMonitoringApi().JobDetails(id)
                .History.FirstOrDefault()?.StateName), s => s == "Succeeded", "the retried job to succeed");
            Assert.Equal(2, RetriedOnceJobs.Runs[tag]);
        }
        finally { await a.StopAsync(); }
    }
}
