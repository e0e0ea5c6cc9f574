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
        browser.LookAtBothWidths("portal-signin");

        browser.Driver.FindElement(By.Id("key")).SendKeys("falscher-schluessel");
        browser.Driver.FindElement(By.Id("submit")).Click();
        Assert.Contains("nicht gültig", browser.WaitFor(By.Id("error")).Text);

        browser.Driver.FindElement(By.Id("key")).SendKeys(key);
        browser.Driver.FindElement(By.Id("submit")).Click();
        browser.WaitFor(By.Id("upload"));
        // The provider's name, not its code, names the portal; 2025 is due and nothing has come yet.
        Assert.Contains("KDZ Auenland", browser.Driver.Title);
        Assert.DoesNotContain("KDZA", browser.Driver.Title);
        var due = browser.Driver.FindElement(By.CssSelector("#periods tr[data-period='2025']"));
        Assert.Contains(due.GetAttribute("data-state"), new[] { "missing", "late" });
        browser.LookAtBothWidths("portal-empty");

        Upload(browser, path);

        // The return's page refreshes itself until the worker has decided.
        var status = browser.WaitFor(By.CssSelector("#status.status-accepted, #status.status-rejected"), seconds: 120);
        Assert.Contains("angenommen", status.Text);
        Assert.Contains("/portal/meldungen/", browser.Driver.Url);
        Assert.Contains("KDZA-2025.xlsx", browser.WaitFor(By.Id("history")).Text);
        Assert.NotNull(browser.Driver.FindElement(By.Id("feedback")).GetAttribute("href"));
        var verdictUrl = browser.Driver.Url;
        browser.LookAtBothWidths("portal-accepted");

        // A second version with other figures: its page lists what changed against the first.
        var path2 = Path.Combine(dir, "KDZA-2025-korrigiert.xlsx");
        await File.WriteAllBytesAsync(path2, Write(dir, "KDZA", seed: 43));
        Upload(browser, path2);
        browser.WaitFor(By.CssSelector("#status.status-accepted"), seconds: 120);
        Assert.Contains("Kosten", browser.WaitFor(By.Id("changes-summary")).Text);
        Assert.NotEmpty(browser.Driver.FindElements(By.CssSelector("#changes tbody tr")));
        Assert.Equal(2, browser.Driver.FindElements(By.CssSelector("#history tbody tr")).Count);
        browser.LookAtBothWidths("portal-second-version");

        // The first file again: nothing is stored anew; the overview says when it came and links that verdict.
        Upload(browser, path);
        var already = browser.WaitFor(By.Id("already"));
        Assert.Matches("bereits am [0-9]{2}\\.[0-9]{2}\\.[0-9]{4} um [0-9]{2}:[0-9]{2} Uhr eingereicht", already.Text);
        Assert.Equal("accepted", browser.Driver.FindElement(By.CssSelector("#periods tr[data-period='2025']"))
            .GetAttribute("data-state"));
        browser.LookAtBothWidths("portal-already");
        browser.Driver.FindElement(By.Id("already-link")).Click();
        browser.WaitFor(By.Id("status"));
        Assert.Equal(verdictUrl, browser.Driver.Url);

        // Not a workbook: rejected, explained in German; the rule code only inside the details element.
        var junk = Path.Combine(dir, "kaputt.xlsx");
        await File.WriteAllBytesAsync(junk, "keine Arbeitsmappe"u8.ToArray());
        Upload(browser, junk);
        browser.WaitFor(By.CssSelector("#status.status-rejected"), seconds: 120);
        var messages = browser.WaitFor(By.Id("messages"));
        Assert.DoesNotMatch("\\[[A-Za-z]+\\.[A-Za-z]+\\]", messages.Text);   // details closed: codes not shown
        Assert.NotEmpty(messages.FindElements(By.CssSelector("details code")));
        browser.LookAtBothWidths("portal-rejected");

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
        browser.LookAtBothWidths("start");

        // The keyboard's first stop is the skip link: it appears on screen with a visible focus ring.
        browser.Driver.FindElement(By.TagName("body")).SendKeys(Keys.Tab);
        var focused = browser.Driver.SwitchTo().ActiveElement();
        Assert.Equal("#inhalt", focused.GetAttribute("href")?[^"#inhalt".Length..]);
        Assert.True(focused.Location.X >= 0, "the skip link stays off screen when focused");
        Assert.Equal("solid", focused.GetCssValue("outline-style"));
        Assert.Contains("rgb(255, 191, 71)", focused.GetCssValue("box-shadow"));   // the stylesheet's focus ring
        focused.SendKeys(Keys.Tab);   // on to the next link, which shows the ring in turn
        var next = browser.Driver.SwitchTo().ActiveElement();
        Assert.Equal("a", next.TagName);
        Assert.Equal("solid", next.GetCssValue("outline-style"));
        browser.Driver.FindElement(By.Id("to-portal")).Click();
        browser.WaitFor(By.Id("signin"));
    }

    static void Upload(Browser browser, string path)
    {
        if (!browser.Driver.Url.EndsWith("/portal", StringComparison.Ordinal))
            browser.Driver.FindElement(By.LinkText("Übersicht")).Click();
        browser.WaitFor(By.Id("file")).SendKeys(path);
        browser.Driver.FindElement(By.Id("submit")).Click();
    }

    static byte[] Write(string dir, string provider, int seed = 42)
    {
        var reference = DemoReturnReference.Load(TestPaths.DemoReference);
        var g = DemoReturnGenerator.Generate(reference, reference.Providers.Single(p => p.Code == provider), "2025",
            seed);
        var path = Path.Combine(dir, $"gen-{provider}-{seed}.xlsx");
        DemoReturnWriter.Write(g, reference.Catalog, path);
        return File.ReadAllBytes(path);
    }
}
