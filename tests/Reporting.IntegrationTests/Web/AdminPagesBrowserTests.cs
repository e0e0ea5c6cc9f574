using OpenQA.Selenium;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Web;

/// <summary>
/// The admin pages in headless Chromium at 1280 and 390 px: screenshots saved with the test output
/// (screenshots/admin-*.png), axe without serious or critical findings, the delivery log's actions in view.
/// </summary>
public sealed class AdminPagesBrowserTests
{
    [BrowserFact]
    public async Task The_admin_pages_fit_1280_and_390_px_and_pass_the_accessibility_check()
    {
        await using var db = await TestDatabase.CreateAsync();
        await AdminSeed.LedgerAsync(db);
        await using var web = await WebTestHost.StartAsync(db);
        var (pending, uncertain) = await AdminSeed.DeliveriesAsync(web, db);
        AdminSeed.Jobs(web);
        using var browser = Browser.Start();

        browser.GoTo($"{web.BaseUrl}/admin/anmelden");
        browser.WaitFor(By.Id("signin"));
        browser.LookAtBothWidths("admin-anmelden");
        JobConsoleTests.SignIn(browser, web, "/admin");
        browser.WaitFor(By.Id("attention"));

        foreach (var (path, name) in new[] { ("/admin", "admin-start"), ("/admin/zustellungen", "admin-zustellungen"),
            ($"/admin/zustellungen/{uncertain}/erneut-senden", "admin-erneut-senden"),
            ("/admin/abgaben", "admin-abgaben") })
        {
            browser.GoTo(web.BaseUrl + path);
            browser.WaitFor(By.TagName("main"));
            browser.LookAtBothWidths(name);
        }

        // At 1280 px the delivery log's state and "Erneut senden" are in view without scrolling sideways; the
        // Message-ID waits in the closed details row.
        browser.GoTo($"{web.BaseUrl}/admin/zustellungen");
        browser.Resize(1280);
        var row = browser.WaitFor(By.Id($"delivery-{pending}"));
        var width = Convert.ToDouble(browser.Driver.ExecuteScript("return window.innerWidth;"));
        foreach (var element in new[] { row.FindElement(By.CssSelector(".state")),
            row.FindElement(By.CssSelector("button[type=submit]")) })
        {
            var right = Convert.ToDouble(browser.Driver.ExecuteScript(
                "return arguments[0].getBoundingClientRect().right;", element));
            Assert.True(right <= width, $"{element.Text} ends at {right} px of {width}");
        }
        var details = browser.Driver.FindElement(By.Id($"delivery-{pending}-details"));
        Assert.False(details.FindElement(By.TagName("code")).Displayed);
        details.FindElement(By.TagName("summary")).Click();
        Assert.True(details.FindElement(By.TagName("code")).Displayed);
        browser.SaveScreenshot("admin-zustellungen-details", 1280);
    }
}
