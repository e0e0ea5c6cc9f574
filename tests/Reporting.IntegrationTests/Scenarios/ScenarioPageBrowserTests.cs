using OpenQA.Selenium;
using Reporting.IntegrationTests.Support;
using Reporting.IntegrationTests.Web;

namespace Reporting.IntegrationTests.Scenarios;

/// <summary>
/// /admin/scenarios in headless Chromium at 1280 and 390 px: the demo merger submitted as the form offers it, both
/// estimates with their assumptions shown, screenshots saved with the test output (screenshots/admin-szenario*.png),
/// axe without serious or critical findings.
/// </summary>
public sealed class ScenarioPageBrowserTests(ScenarioDemoFixture demo) : IClassFixture<ScenarioDemoFixture>
{
    [BrowserFact]
    public async Task An_admin_submits_the_demo_merger_and_sees_both_estimates_at_1280_and_390_px()
    {
        await using var web = await WebTestHost.StartAsync(demo.Db);
        using var browser = Browser.Start();
        JobConsoleTests.SignIn(browser, web, "/admin/scenarios");
        browser.WaitFor(By.Id("scenario"));
        Assert.Contains("Fusion KDZA und ITVB", browser.Driver.FindElement(By.Id("json")).GetAttribute("value"));
        browser.LookAtBothWidths("admin-szenario");

        browser.Driver.FindElement(By.Id("submit")).Click();
        var result = browser.WaitFor(By.Id("result"));
        var headings = result.FindElements(By.TagName("h3")).Select(h => h.Text).ToList();
        Assert.Equal(["Annahmen – niedrige Schätzung", "Annahmen – hohe Schätzung"], headings);
        var assumptions = result.FindElements(By.CssSelector("ul.assumptions")).ToList();
        Assert.Equal(2, assumptions.Count);
        Assert.All(assumptions, a => Assert.Contains("Kostenmodell", a.Text));
        Assert.Contains("behält 20 %", assumptions[1].Text);
        var rows = browser.Driver.FindElements(By.CssSelector("#values tbody tr"));
        Assert.Contains(rows, r => r.Text.Contains("IT-Gesamtkosten", StringComparison.Ordinal));
        browser.LookAtBothWidths("admin-szenario-ergebnis");
    }
}
