using System.Net;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;

namespace Reporting.IntegrationTests.Web;

/// <summary>A job file naming something unknown: the host starts, that job is left out and shown, others run.</summary>
public sealed class JobFileHealthTests
{
    [Fact]
    public async Task A_bad_job_file_leaves_the_host_running_and_health_reports_degraded_with_file_and_reason()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource, NullLogger<ReferenceImporter>.Instance)
            .ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        var jobs = Directory.CreateTempSubdirectory("health-jobs-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(jobs, "deadline-check.json"),
                """{"id":"deadline-check","kind":"deadline-check","cron":"0 7 * * 1-5","timeZone":"Europe/Berlin"}""");
            File.WriteAllText(Path.Combine(jobs, "kreis-unbekannt.json"), """
                {"id":"kreis-unbekannt","kind":"subscription","trigger":"new-data","report":"kennzahlen",
                 "scope":"district=05999",
                 "recipients":[{"name":"Landrat","address":"landrat@example.org"}]}
                """);
            File.WriteAllText(Path.Combine(jobs, "kaputt.json"), """{"id":"kaputt", "kind": """);

            await using var web = await WebTestHost.StartAsync(db, withWorkers: true, ("Paths:Jobs", jobs));
            using var http = web.Client();
            await SignInAsync(http);   // details of /health may be for admins only

            var health = await Eventually.WaitForAsync(
                async () => JsonDocument.Parse(await http.GetStringAsync("/health")).RootElement,
                h => h.GetProperty("liveWorkers").GetInt32() > 0, "the job server's first heartbeat");

            Assert.Equal("degraded", health.GetProperty("status").GetString());
            var problems = health.GetProperty("jobFiles").EnumerateArray()
                .ToDictionary(p => p.GetProperty("file").GetString()!, p => p.GetProperty("reason").GetString()!);
            Assert.Equal(["kaputt.json", "kreis-unbekannt.json"], problems.Keys.Order());
            Assert.Contains("unknown district key '05999'", problems["kreis-unbekannt.json"]);
            Assert.Contains("not valid JSON", problems["kaputt.json"]);
            using (var c = web.Services.GetRequiredService<JobStorage>().GetConnection())
                Assert.Equal(["file:deadline-check"], c.GetRecurringJobs().Select(r => r.Id).Where(id
                    => id.StartsWith("file:", StringComparison.Ordinal)));

            var overview = await http.GetStringAsync("/admin");
            Assert.Contains("id=\"job-file-problems\"", overview);
            // Razor writes the quote as a character reference (&#x27;): compare the decoded text.
            Assert.Contains("<code>kreis-unbekannt.json</code>: unknown district key '05999'",
                System.Net.WebUtility.HtmlDecode(overview));
        }
        finally { Directory.Delete(jobs, recursive: true); }
    }

    static async Task SignInAsync(HttpClient http)
    {
        var page = await http.GetStringAsync("/admin/anmelden");
        var token = System.Text.RegularExpressions.Regex
            .Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await http.PostAsync("/admin/anmelden", new FormUrlEncodedContent([
            new("__RequestVerificationToken", WebUtility.HtmlDecode(token)), new("returnUrl", "/admin"),
            new("userName", WebTestHost.AdminUser), new("password", WebTestHost.AdminPassword)]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
