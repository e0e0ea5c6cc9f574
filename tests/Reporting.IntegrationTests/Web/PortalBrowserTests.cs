using Microsoft.Extensions.Logging.Abstractions;
using OpenQA.Selenium;
using Reporting.Ingestion;
using Reporting.IntegrationTests.Support;
using Reporting.Reference;
using Reporting.Uploads;
using Reporting.Access;

namespace Reporting.IntegrationTests.Web;

/// <summary>
/// The provider portal in headless Chromium against the real app on Kestrel, with Hangfire workers ingesting.
/// </summary>
[Collection(HangfireCollection.Name)]
public sealed class PortalBrowserTests
{
    [BrowserFact]
    public async Task A_provider_signs_in_by_key_uploads_sees_its_verdict_may_not_read_others_or_post_to_api_by_cookie()
    {
        await using var db = await TestDatabase.CreateAsync();
        await new ReferenceImporter(db.DataSource,
            NullLogger<ReferenceImporter>.Instance).ImportAsync(TestPaths.DemoReference, new DateOnly(2024, 12, 31));
        var dir = Directory.CreateTempSubdirectory("portal-").FullName;
        await using var web = await WebTestHost.StartAsync(db, withWorkers: true, ("Smtp:Host", ""),
            ("Smtp:PickupDirectory", Path.Combine(dir, "mail")));
        var keys = web.Services.GetRequiredService<ProviderKeys>();
        await keys.EnsureAsync("KDZA", "KDZ Auenland");
        await keys.EnsureAsync("ITVB", "ITV Brückenfeld");
        var key = await keys.IssueKeyAsync("KDZA");

        // Another provider's return, stored directly: the portal must not show it to KDZA.
        var other = await web.Services.GetRequiredService<UploadStore>().StoreAsync(Write(dir, "ITVB"),
            "ITVB-2025.xlsx", "ITVB", "test");
        var path = Path.Combine(dir, "KDZA-2025.xlsx");
        await File.WriteAllBytesAsync(path, Write(dir, "KDZA"));

        using var browser = Browser.Start();
        browser.GoTo($"{web.BaseUrl}/portal");
        browser.WaitFor(By.Id("signin"));
        Assert.Contains("/portal/anmelden", browser.Driver.Url);

        browser.Driver.FindElement(By.Id("key")).SendKeys("falscher-schluessel");
        browser.Driver.FindElement(By.Id("submit")).Click();
        Assert.Contains("nicht gültig", browser.WaitFor(By.Id("error")).Text);

        browser.Driver.FindElement(By.Id("key")).SendKeys(key);
        browser.Driver.FindElement(By.Id("submit")).Click();
        browser.WaitFor(By.Id("upload"));
        Assert.Contains("KDZA", browser.Driver.Title);

        browser.Driver.FindElement(By.Id("file")).SendKeys(path);
        browser.Driver.FindElement(By.Id("submit")).Click();

        // The return's page refreshes itself until the worker has decided.
        var status = browser.WaitFor(By.CssSelector("#status.status-accepted, #status.status-rejected"), seconds: 120);
        Assert.Contains("angenommen", status.Text);
        Assert.Contains("/portal/meldungen/", browser.Driver.Url);
        Assert.Contains("KDZA-2025.xlsx", browser.WaitFor(By.Id("history")).Text);
        Assert.NotNull(browser.Driver.FindElement(By.Id("feedback")).GetAttribute("href"));

        // The signed-in browser's cookie does not count on the API's upload (no anti-forgery token there): only a key
        // does.
        var apiStatus = ((IJavaScriptExecutor)browser.Driver).ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            const form = new FormData(); form.append('file', new Blob(['x']), 'KDZA-2025.xlsx');
            fetch('/api/returns', { method: 'POST', body: form, credentials: 'include' })
              .then(r => done(r.status), () => done(-1));
            """);
        Assert.Equal(401L, apiStatus);

        browser.GoTo($"{web.BaseUrl}/portal/meldungen/{other.VersionId}");
        Assert.DoesNotContain("ITVB-2025.xlsx", browser.Driver.PageSource);
        Assert.Empty(browser.Driver.FindElements(By.Id("status")));
        Directory.Delete(dir, recursive: true);
    }

    [BrowserFact]
    public async Task The_start_page_fits_a_laptop_and_a_phone_and_axe_finds_nothing_serious()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var browser = Browser.Start();
        browser.GoTo($"{web.BaseUrl}/");
        browser.WaitFor(By.Id("to-portal"));
        foreach (var width in Widths)
        {
            browser.SaveScreenshot("start", width);
            AssertFits(browser, width);
            Accessibility.AssertNoSeriousViolations(browser, $"the start page at {width} px");
        }
        browser.Driver.FindElement(By.Id("to-portal")).Click();
        browser.WaitFor(By.Id("signin"));
    }

    static readonly int[] Widths = [1280, 390];

    /// <summary>Nothing sticks out sideways: the page scrolls only down (tables scroll inside their boxes).</summary>
    static void AssertFits(Browser browser, int width)
    {
        var js = (IJavaScriptExecutor)browser.Driver;
        var viewport = Convert.ToInt32(js.ExecuteScript("return document.documentElement.clientWidth;"));
        var page = Convert.ToInt32(js.ExecuteScript("return document.documentElement.scrollWidth;"));
        Assert.True(page <= viewport, $"at {width} px the page is {page} px wide in a {viewport} px viewport "
            + $"({browser.Driver.Url})");
    }

    static byte[] Write(string dir, string provider)
    {
        var reference = DemoReturnReference.Load(TestPaths.DemoReference);
        var g = DemoReturnGenerator.Generate(reference, reference.Providers.Single(p => p.Code == provider), "2025",
            42);
        var path = Path.Combine(dir, $"gen-{provider}.xlsx");
        DemoReturnWriter.Write(g, reference.Catalog, path);
        return File.ReadAllBytes(path);
    }
}
