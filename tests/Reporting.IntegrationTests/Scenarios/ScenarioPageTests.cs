using System.Net;
using Reporting.IntegrationTests.Support;
using Reporting.IntegrationTests.Web;

namespace Reporting.IntegrationTests.Scenarios;

/// <summary>/admin/scenarios: an admin writes a scenario, computes it, reads both estimates and assumptions.</summary>
public sealed class ScenarioPageTests(ScenarioDemoFixture demo) : IClassFixture<ScenarioDemoFixture>
{
    [Fact]
    public async Task An_admin_computes_a_merger_on_the_page_and_sees_its_assumptions_and_key_figures()
    {
        await using var web = await WebTestHost.StartAsync(demo.Db);
        using var browser = new WebSignIn(web);
        await browser.AdminAsync(WebTestHost.AdminPassword);

        var form = await browser.Http.GetStringAsync("/admin/scenarios");
        Assert.Contains("<textarea id=\"json\" name=\"json\"", form);
        // The admin pages' shared navigation, with sign-out, on this page and a link to it on the others.
        Assert.Contains("href=\"/admin/zustellungen\"", form);
        Assert.Contains("action=\"/admin/abmelden\"", form);
        Assert.Contains("href=\"/admin/scenarios\">Szenarien</a>", await browser.Http.GetStringAsync("/admin"));

        using var response = await browser.PostFormAsync("/admin/scenarios", "/admin/scenarios",
            ("json", """
                {"name": "Fusion", "period": "2025", "changes": [{"merge": ["KDZA", "ITVB"], "into": "KDZA"}]}
                """),
            ("scope", "nrw"), ("remanent", "0,3"));
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Annahmen – hohe Schätzung", page);
        Assert.Contains("behält 30 %", page);
        Assert.Contains("IT-Gesamtkosten", page);
        Assert.Contains("KDZ Auenland", page);

        using var wrong = await browser.PostFormAsync("/admin/scenarios", "/admin/scenarios",
            ("json", """
                {"name": "x", "period": "2025", "changes": [{"merge": ["KDZA", "NIEMAND"], "into": "KDZA"}]}
                """),
            ("scope", "nrw"), ("remanent", ""));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("Änderung 1: Dienstleister „NIEMAND“ ist unbekannt.",
            WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()));
    }
}
