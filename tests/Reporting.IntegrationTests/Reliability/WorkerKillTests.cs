using System.Diagnostics;
using Hangfire;
using Npgsql;
using Reporting.Ingestion;
using Reporting.IntegrationTests.Ingestion;
using Reporting.IntegrationTests.Support;
using Reporting.Uploads;
using Xunit.Abstractions;
using Reporting.Pipeline;

namespace Reporting.IntegrationTests.Reliability;

/// <summary>
/// A worker process killed with SIGKILL in the middle of ingesting: a restarted worker picks the job up again
/// after the invisibility timeout, and the return is ingested exactly once.
/// </summary>
public sealed class WorkerKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_worker_killed_while_ingesting_loses_nothing_and_the_restarted_worker_ingests_each_return_once()
    {
        await using var scenario = await IntakeScenario.CreateAsync();
        var db = scenario.Db;
        var jobs = Directory.CreateTempSubdirectory("worker-kill-jobs-").FullName;
        // Resolving the storage installs the hangfire schema before the worker starts.
        var storage = scenario.App.Services.GetRequiredService<JobStorage>();
        var intake = scenario.App.Services.GetRequiredService<UploadIntake>();

        // Two full generated returns (the demo region's whole key space), so the kill hits real work.
        var reference = DemoReturnReference.Load(TestPaths.DemoReference);
        var dir = Directory.CreateTempSubdirectory("worker-kill-").FullName;
        var generated = new Dictionary<string, DemoReturnGenerator.Generated>();
        var versions = new Dictionary<string, long>();
        foreach (var code in new[] { "KDZA", "ITVB" })
        {
            var g = DemoReturnGenerator.Generate(reference, reference.Providers.Single(p => p.Code == code), "2025",
                42);
            var path = Path.Combine(dir, $"{code}-2025.xlsx");
            DemoReturnWriter.Write(g, reference.Catalog, path);
            generated[code] = g;
        }

        // The test holds a lock on cost_facts: the worker's ingest transaction gets as far as inserting the facts
        // (bytes read, validated, staged by COPY) and waits there. That is the moment the worker is killed.
        await using var blocker = await db.DataSource.OpenConnectionAsync();
        var block = await blocker.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand("lock table cost_facts in share mode", blocker,
            block)) await cmd.ExecuteNonQueryAsync();

        var processes = new List<Process>();
        try
        {
            var first = StartWorker(db, jobs, invisibilitySeconds: 300);
            processes.Add(first);
            foreach (var code in generated.Keys)
                versions[code] = (await intake.SubmitAsync(await File.ReadAllBytesAsync(Path.Combine(dir,
                    $"{code}-2025.xlsx")), $"{code}-2025.xlsx", code, "test")).VersionId;

            // One transaction waits on cost_facts, the other (same new period row) waits on the first one.
            await Eventually.WaitForAsync(async ()
                => (await WaitingOnFactsAsync(db), storage.GetMonitoringApi().ProcessingCount()),
                w => w.Item1 >= 1 && w.Item2 == 2, "both ingest jobs processing, one waiting on cost_facts", 120);

            first.Kill(entireProcessTree: true);   // SIGKILL: no shutdown, no requeue, no rollback by the app
            await first.WaitForExitAsync();
            var killedAt = Stopwatch.StartNew();
            await block.RollbackAsync();

            // Nothing of the killed transactions survives.
            Assert.Equal(2,
                await db.ScalarAsync<int>("select count(*) from return_versions where status = 'received'"));
            Assert.Equal(0, await db.ScalarAsync<int>("select count(*) from cost_facts")
                + await db.ScalarAsync<int>("select count(*) from ozg_facts")
                + await db.ScalarAsync<int>("select count(*) from supply_facts"));

            processes.Add(StartWorker(db, jobs, invisibilitySeconds: 5));
            await Eventually.WaitForAsync(()
                => db.ScalarAsync<int>("select count(*) from return_versions where status <> 'received'"), n => n == 2,
                "the restarted worker to ingest both returns", 150);
            output.WriteLine(
                $"both returns decided {killedAt.Elapsed.TotalSeconds:0.0} s after the kill (invisibility timeout 5 "
                    + $"s, worker start included)");

            foreach (var (code, g) in generated)
            {
                var id = versions[code];
                Assert.Equal("accepted",
                    await db.ScalarAsync<string>($"select status from return_versions where id = {id}"));
                Assert.Equal(g.Costs.Count,
                    await db.ScalarAsync<int>($"select count(*) from cost_facts where return_version_id = {id}"));
                Assert.Equal(g.Supply.Count,
                    await db.ScalarAsync<int>($"select count(*) from supply_facts where return_version_id = {id}"));
                Assert.Equal(g.Ozg.Count,
                    await db.ScalarAsync<int>($"select count(*) from ozg_facts where return_version_id = {id}"));
            }
            // Facts counted once, one version per return, no upload lost.
            Assert.Equal(generated.Values.Sum(g => g.Costs.Count),
                await db.ScalarAsync<int>("select count(*) from cost_facts"));
            Assert.Equal(2, await db.ScalarAsync<int>("select count(*) from uploads"));
            Assert.Equal(2, await db.ScalarAsync<int>("select count(*) from return_versions"));
            Assert.Equal(2, await db.ScalarAsync<int>(
                "select count(*) from return_versions where status = 'accepted' and version = 1"));

            var ledger = await scenario.App.Services.GetRequiredService<SubmissionLedger>().ListAsync("2025");
            foreach (var code in generated.Keys)
            {
                var row = Assert.Single(ledger, r => r.ProviderCode == code);
                // Received counts every version of the return: one upload, one version, accepted once.
                Assert.Equal(("accepted", 1, 0, 1, versions[code]),
                    (row.State, row.Accepted, row.Rejected, row.Received, row.CurrentVersionId!.Value));
            }
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

    static Task<int> WaitingOnFactsAsync(TestDatabase db) => db.ScalarAsync<int>("""
        select count(*) from pg_locks l join pg_class c on c.oid = l.relation
        where c.relname = 'cost_facts' and not l.granted and l.database = (select oid from pg_database
          where datname = current_database())
        """);

    static Process StartWorker(TestDatabase db, string jobs, int invisibilitySeconds)
        => AppProcess.StartWorker(db, jobs, new Dictionary<string, string>
    {
        ["Scheduling__InvisibilityTimeoutSeconds"] = invisibilitySeconds.ToString(
            System.Globalization.CultureInfo.InvariantCulture),
        ["Scheduling__SchedulePollingSeconds"] = "1",
        ["Scheduling__QueuePollSeconds"] = "1",
    });
}
