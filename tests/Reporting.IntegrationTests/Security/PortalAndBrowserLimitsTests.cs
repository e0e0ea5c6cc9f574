using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Reporting.IntegrationTests.Support;
using Reporting.Uploads;
using Reporting.Access;

namespace Reporting.IntegrationTests.Security;

/// <summary>
/// On Kestrel: the portal takes what the API takes; the job console works under the CSP in a real browser.
/// </summary>
public sealed class PortalAndBrowserLimitsTests
{
    [Fact]
    public async Task The_portal_accepts_an_upload_over_Kestrels_default_30_MB_within_the_documented_100_MB()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        var keys = web.Services.GetRequiredService<ProviderKeys>();
        await keys.EnsureAsync("KDZA", "KDZ Auenland");
        var key = await keys.IssueKeyAsync("KDZA");
        using var http = web.Client();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var page = await http.GetStringAsync("/portal");
        // The browser checks the period as the server does (the pattern's {4} once came out as "4").
        Assert.Contains("pattern=\"[0-9]{4}(-(Q[1-4]|H[12]))?\"", page, StringComparison.Ordinal);
        var token = WebUtility.HtmlDecode(Regex.Match(page,
            "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        var bytes = new byte[40 * 1024 * 1024];
        Random.Shared.NextBytes(bytes);

        var response = await http.PostAsync("/portal/hochladen", new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(bytes), "file", "KDZA-2025.xlsx" },
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/portal/meldungen/", response.Headers.Location!.OriginalString);
        Assert.Equal(bytes.LongLength, await db.ScalarAsync<long>("select size_bytes from uploads"));
    }

    [BrowserFact]
    public async Task The_job_console_runs_its_scripts_under_the_content_security_policy()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db, withWorkers: true);
        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        var service = ChromeDriverService.CreateDefaultService(Browser.DriverDirectory, Browser.DriverName);
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Browser.ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", $"--user-data-dir={profile}");
        options.SetLoggingPreference(LogType.Browser, OpenQA.Selenium.LogLevel.All);
        using var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        try
        {
            driver.Navigate().GoToUrl($"{web.BaseUrl}/admin/anmelden?returnUrl=%2Fhangfire");
            driver.FindElement(By.Id("userName")).SendKeys(WebTestHost.AdminUser);
            driver.FindElement(By.Id("password")).SendKeys(WebTestHost.AdminPassword);
            driver.FindElement(By.Id("submit")).Click();
            new OpenQA.Selenium.Support.UI.WebDriverWait(driver, TimeSpan.FromSeconds(30)).Until(d
                => d.Url.EndsWith("/hangfire"));
            // The dashboard's script fills the realtime graph; blocked scripts would leave it empty.
            new OpenQA.Selenium.Support.UI.WebDriverWait(driver, TimeSpan.FromSeconds(30))
                .Until(d => ((IJavaScriptExecutor)d).ExecuteScript(
                    "return typeof Hangfire !== 'undefined' && document.querySelector('canvas') !== null") is true);
            driver.Navigate().GoToUrl($"{web.BaseUrl}/hangfire/recurring");
            driver.Navigate().GoToUrl($"{web.BaseUrl}/admin/abgaben");

            var violations = driver.Manage().Logs.GetLog(LogType.Browser)
                .Where(e => e.Message.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)).Select(e
                    => e.Message).ToList();
            Assert.True(violations.Count == 0, string.Join("\n", violations));
        }
        finally
        {
            driver.Quit();
            Directory.Delete(profile, recursive: true);
        }
    }
}
