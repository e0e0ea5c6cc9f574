using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using OpenQA.Selenium;
using Reporting.IntegrationTests.Support;
using Reporting.Scheduling;

namespace Reporting.IntegrationTests.Web;

/// <summary>The job console (/hangfire) in the browser's language, and how long it keeps succeeded jobs.</summary>
public sealed partial class JobConsoleTests
{
    [Fact]
    public async Task A_german_browser_gets_the_job_console_in_german_and_an_english_one_in_english()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var signIn = new WebSignIn(web);
        await signIn.AdminAsync(WebTestHost.AdminPassword);

        var german = await GetAsync(signIn.Http, "/hangfire", "de-DE,de;q=0.9,en;q=0.8");
        Assert.Contains("<html lang=\"de\"", german);
        Assert.Contains("Aufträge", german);          // Hangfire's German "Jobs"
        Assert.Contains("Erneute Versuche", german);
        Assert.Contains("Zurück zur Website", german);
        Assert.DoesNotContain("Recurring Jobs", german);

        var english = await GetAsync(signIn.Http, "/hangfire", "en-GB,en;q=0.9");
        Assert.Contains("<html lang=\"en\"", english);
        Assert.Contains("Recurring Jobs", english);
    }

    [BrowserFact]
    public async Task The_job_console_shows_a_succeeded_job_with_german_texts_and_a_24_hour_time()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db, withWorkers: true);
        var jobId = await RunProbeAsync(web, db, "console");
        using var browser = Browser.Start();   // Accept-Language de-DE
        browser.Resize(1280);
        SignIn(browser, web, $"/hangfire/jobs/details/{jobId}");

        browser.WaitFor(By.CssSelector(".state-card"));
        var text = browser.Driver.FindElement(By.TagName("body")).Text;
        Assert.Contains("Der Job ist beendet", text);
        Assert.Contains("in 7 Tagen", text);          // kept a week, as the console tells
        Assert.Contains("vor ein paar Sekunden", text);
        Assert.DoesNotContain("The job is finished", text);
        browser.SaveScreenshot("job-console-details", 1280);

        // The state's time as the page writes it (its tooltip): German words, and the hour of the browser's clock
        // with two digits and no AM/PM.
        var stamp = browser.Driver.FindElement(By.CssSelector(".state-card span[data-moment]"));
        var title = stamp.GetAttribute("data-original-title") ?? "";
        var expected = (string?)browser.Driver.ExecuteScript("""
            const d = new Date(arguments[0] * 1000), two = n => String(n).padStart(2, '0');
            return two(d.getHours()) + ':' + two(d.getMinutes());
            """, long.Parse(stamp.GetAttribute("data-moment")!));
        Assert.Matches(GermanDateTime(), title);
        Assert.EndsWith(" " + expected, title);
        Assert.DoesNotMatch(AmPm(), title);

        // The admin start page lists it among the last succeeded jobs, linked to these details.
        browser.GoTo($"{web.BaseUrl}/admin");
        var last = browser.WaitFor(By.Id("succeeded-jobs"));
        Assert.NotNull(last.FindElement(By.CssSelector($"a[href='/hangfire/jobs/details/{jobId}']")));
    }

    [Fact]
    public async Task A_succeeded_job_is_kept_for_seven_days_by_default_and_as_configured_otherwise()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var web = await WebTestHost.StartAsync(db, withWorkers: true))
        {
            var id = await RunProbeAsync(web, db, "default");
            var left = await ExpiresInAsync(db, id);
            Assert.InRange(left.TotalDays, 6.9, 7.0);
        }
        await using (var web = await WebTestHost.StartAsync(db, withWorkers: true,
            ("Scheduling:SucceededJobRetentionDays", "30")))
        {
            var id = await RunProbeAsync(web, db, "configured");
            Assert.InRange((await ExpiresInAsync(db, id)).TotalDays, 29.9, 30.0);
        }
    }

    static async Task<string> RunProbeAsync(WebTestHost web, TestDatabase db, string tag)
    {
        var jobId = web.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<ProbeJobs>(j => j.Record(tag, 0, null, CancellationToken.None));
        await Eventually.WaitForAsync(() => db.ScalarAsync<string>(
            $"select coalesce(statename, '') from hangfire.job where id = {long.Parse(jobId)}"),
            s => s == "Succeeded", $"probe job {jobId} to succeed");
        return jobId;
    }

    static async Task<TimeSpan> ExpiresInAsync(TestDatabase db, string jobId) =>
        TimeSpan.FromSeconds(await db.ScalarAsync<double>(
            $"select extract(epoch from expireat - now())::float8 from hangfire.job where id = {long.Parse(jobId)}"));

    static async Task<string> GetAsync(HttpClient http, string path, string acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path)
            { Headers = { { "Accept-Language", acceptLanguage } } };
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    internal static void SignIn(Browser browser, WebTestHost web, string returnUrl)
    {
        browser.GoTo($"{web.BaseUrl}/admin/anmelden?returnUrl={Uri.EscapeDataString(returnUrl)}");
        browser.WaitFor(By.Id("signin"));
        browser.Driver.FindElement(By.Id("userName")).SendKeys(WebTestHost.AdminUser);
        browser.Driver.FindElement(By.Id("password")).SendKeys(WebTestHost.AdminPassword);
        browser.Driver.FindElement(By.Id("submit")).Click();
    }

    [GeneratedRegex(@"\b(AM|PM|am|pm)\b")]
    private static partial Regex AmPm();

    // moment's German "llll": "Di., 1. Dez. 2026 14:05"
    [GeneratedRegex(@"^(Mo|Di|Mi|Do|Fr|Sa|So)\., \d{1,2}\. \p{L}+\.? \d{4} \d{2}:\d{2}$")]
    private static partial Regex GermanDateTime();
}
