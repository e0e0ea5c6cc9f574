using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Reporting.Database;
using Reporting.Ingestion;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;
using Reporting.Scheduling;
using Reporting.Uploads;
using Xunit.Abstractions;
using Reporting.Access;

namespace Reporting.IntegrationTests.Reliability;

/// <summary>
/// PostgreSQL (a dedicated embedded cluster, so the shared test cluster is not disturbed) stopped while ingest
/// jobs run and started again: /health says 503 during the outage and 200 after, the jobs complete, and the web
/// host takes new uploads, all without restarting the host.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    readonly string root = Path.Combine(TestPaths.RepoRoot, ".local", $"pg-restart-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_database_restart_while_jobs_run_is_reported_by_health_and_survived_by_jobs_and_web_host()
    {
        var pg = new EmbeddedPostgres(root, new DatabaseOptions(), NullLogger.Instance);
        var cs = await pg.EnsureStartedAsync("reporting");
        await using (var setup = NpgsqlDataSource.Create(cs))
        {
            await new Migrator(setup, NullLogger<Migrator>.Instance).MigrateAsync();
            await new ReferenceImporter(setup, NullLogger<ReferenceImporter>.Instance)
                .ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        }

        var jobs = Directory.CreateTempSubdirectory("pg-restart-jobs-").FullName;
        var builder = ReportingHost.CreateWebBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Reporting"] = cs,
            ["Paths:Jobs"] = jobs,
            ["Scheduling:SchedulePollingSeconds"] = "1",
            ["Scheduling:QueuePollSeconds"] = "1",
            ["Scheduling:InvisibilityTimeoutSeconds"] = "5",
            ["Logging:LogLevel:Default"] = "None",
        });
        builder.AddJobServer();
        var app = builder.Build();
        app.MapReporting();
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()),
                Timeout = TimeSpan.FromSeconds(30) };
            var keys = app.Services.GetRequiredService<ProviderKeys>();
            var uploads = new List<(string Code, string Key, byte[] Bytes)>();
            var reference = DemoReturnReference.Load(TestPaths.DemoReference);
            foreach (var code in new[] { "KDZA", "ITVB" })
            {
                await keys.EnsureAsync(code, code);
                var g = DemoReturnGenerator.Generate(reference, reference.Providers.Single(p => p.Code == code),
                    "2025", 42);
                var path = Path.Combine(jobs, $"{code}-2025.xlsx");
                DemoReturnWriter.WriteThroughTemplate(g, reference.Catalog, path);
                uploads.Add((code, await keys.IssueKeyAsync(code), await File.ReadAllBytesAsync(path)));
            }
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);

            // Hold the ingest transactions at the fact insert, so the outage hits jobs that are running.
            var blocker = new NpgsqlConnection(cs);
            await blocker.OpenAsync();
            var block = await blocker.BeginTransactionAsync();
            await using (var cmd = new NpgsqlCommand("lock table cost_facts in share mode", blocker,
                block)) await cmd.ExecuteNonQueryAsync();
            foreach (var u in uploads) Assert.Equal(HttpStatusCode.Accepted,
                (await PostAsync(http, u.Key, u.Bytes, u.Code)).StatusCode);
            var storage = app.Services.GetRequiredService<JobStorage>();
            await Eventually.WaitForAsync(() => Task.FromResult(storage.GetMonitoringApi().ProcessingCount()), n
                => n >= 1, "an ingest job to be running", 60);

            Assert.True(await pg.StopAsync());   // fast shutdown: every connection, the running jobs' too, is cut
            var down = Stopwatch.StartNew();
            try { await blocker.DisposeAsync(); } catch (PostgresException e) when (
                e.SqlState == PostgresErrorCodes.AdminShutdown) { }   // cut, as intended
            var outage = await Eventually.WaitForAsync(async () => (await http.GetAsync("/health")).StatusCode, s
                => s == HttpStatusCode.ServiceUnavailable,
                "/health to report the outage", 30);
            output.WriteLine($"/health answered {(int)outage} {down.Elapsed.TotalSeconds:0.0} s after the stop");
            await Task.Delay(3000);   // an outage of a few seconds, in which workers and web host keep failing
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/health")).StatusCode);

            // Started again by another process (`db start`), as an operator would: this process' connection pools
            // are left as the outage left them, so the web host has to recover by itself.
            await StartClusterAsync();
            var up = Stopwatch.StartNew();
            await Eventually.WaitForAsync(async () => (await http.GetAsync("/health")).StatusCode, s
                => s == HttpStatusCode.OK, "/health to recover", 60);
            var healthRecovered = up.Elapsed;

            await using var db = NpgsqlDataSource.Create(cs);
            async Task<int> Scalar(string sql) { await using var c = db.CreateCommand(sql); return Convert.ToInt32(
                await c.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture); }
            await Eventually.WaitForAsync(()
                => Scalar("select count(*) from return_versions where status = 'accepted'"), n => n == 2,
                // The ingest job's retries wait 5, 30 and 120 s: when the first two fall into the recovery (stale
                // pooled connections, a loaded machine), the third starts 155 s after the outage.
                "the interrupted ingest jobs to complete", 240);
            var jobsRecovered = up.Elapsed;

            // The web host takes a new upload without a restart, and its job runs.
            var again = uploads[0];
            var changed = again.Bytes.Concat(new byte[] { 0 })
                .ToArray();   // new bytes: a trailing byte after the zip is ignored by readers
            Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(http, again.Key, changed, again.Code)).StatusCode);
            await Eventually.WaitForAsync(()
                => Scalar("select count(*) from return_versions where status <> 'received'"), n => n == 3,
                    "the new upload to be decided", 60);

            Assert.Equal(3, await Scalar("select count(*) from uploads"));
            Assert.Equal(2, await Scalar("select count(*) from return_versions where version = 1"));
            Assert.True(
                await Scalar(
                    "select count(*) from cost_facts f join current_versions c on c.id = f.return_version_id where "
                        + "c.provider_code = 'ITVB'") > 0);
            Assert.Equal(0, await Scalar("""
                select count(*) from (select return_version_id, service_code, cost_type
                  from cost_facts group by 1, 2, 3 having count(*) > 1) d
                """));
            output.WriteLine(
                $"database down {down.Elapsed.TotalSeconds - up.Elapsed.TotalSeconds:0.0} s; after the restart "
                    + $"/health was 200 within " +
                $"{healthRecovered.TotalSeconds:0.0} s and the interrupted jobs had completed within "
                    + $"{jobsRecovered.TotalSeconds:0.0} s");
        }
        finally
        {
            // A failed test may leave the database down; Hangfire's server then cannot stop gracefully.
            using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
                try { await app.StopAsync(stop.Token); } catch (OperationCanceledException) { }
            await app.DisposeAsync();
            Directory.Delete(jobs, recursive: true);
        }
    }

    static async Task<HttpResponseMessage> PostAsync(HttpClient http, string key, byte[] bytes, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/returns")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", $"{code}-2025.xlsx" } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await http.SendAsync(request);
    }

    async Task StartClusterAsync()
    {
        var result = await AppProcess.RunAsync(null, ["db", "start"], new Dictionary<string, string>
        {
            ["Database__DataDirectory"] = root,
            ["ConnectionStrings__Reporting"] = "",
        });
        Assert.True(result.ExitCode == 0, result.Out + result.Err);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresCluster.RemoveScratchAsync(root);
}
