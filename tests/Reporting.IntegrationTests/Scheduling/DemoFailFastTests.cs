using System.Diagnostics;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Scheduling;

/// <summary>
/// `demo` as a user runs it: a failing step or a missing prerequisite ends it at once with one line each.
/// </summary>
public sealed class DemoFailFastTests
{
    [Fact]
    public async Task Demo_with_an_unreachable_SMTP_server_stops_at_the_first_failed_job_one_line_each_trace_in_log()
    {
        await using var db = await TestDatabase.CreateAsync();
        var dir = Directory.CreateTempSubdirectory("demo-fail-").FullName;
        try
        {
            var logs = Path.Combine(dir, "logs");
            var run = Stopwatch.StartNew();
            // Port 1 on loopback refuses connections: every mail job fails and Hangfire schedules retries minutes
            // apart.
            var r = await AppProcess.RunAsync(db, ["demo", "--out", Path.Combine(dir, "out")], new Dictionary<string,
                string>
            {
                ["Smtp__Host"] = "127.0.0.1", ["Smtp__Port"] = "1", ["Smtp__Security"] = "None", ["Paths__Logs"] = logs,
            });
            run.Stop();

            Assert.Equal(1, r.ExitCode);
            var failures = r.Err.Split('\n').Where(l
                => l.StartsWith("failed: job ", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(failures);
            Assert.All(failures, l => Assert.Matches(
                @"^failed: job \d+ DeliveryJobs\.\w+ \(step mail\): DeliveryFailedException: .*127\.0\.0\.1:1", l));
            Assert.Contains("Full traces: ", r.Err);
            Assert.Contains("/hangfire", r.Err);
            Assert.DoesNotContain("   at ", r.Err);   // no stack trace on the terminal
            Assert.DoesNotContain("   at ", r.Out);
            Assert.Contains("   at ", string.Concat(Directory.GetFiles(logs).Select(File.ReadAllText)));
            // Not a speed assertion: before, the demo waited 5 minutes per step for the retries.
            Assert.InRange(run.Elapsed, TimeSpan.Zero, TimeSpan.FromMinutes(3));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task Demo_with_an_output_folder_that_cannot_be_written_says_so_in_one_line_before_any_work()
    {
        await using var db = await TestDatabase.CreateAsync(migrate: false);
        var file = Path.GetTempFileName();
        try
        {
            var r = await AppProcess.RunAsync(db, "demo", "--out", Path.Combine(file, "out"));

            Assert.Equal(1, r.ExitCode);
            var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: The output folder {Path.Combine(file, "out")} is not writable", line);
            Assert.Equal("", r.Out);
            Assert.Equal(0,
                await db.ScalarAsync<int>(
                    // not even migrated
                    "select count(*) from information_schema.tables where table_name = 'providers'"));
        }
        finally { File.Delete(file); }
    }
}
