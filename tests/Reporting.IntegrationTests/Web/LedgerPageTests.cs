using System.Net;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Web;

public sealed class LedgerPageTests
{
    [Fact]
    public async Task The_ledger_page_lists_provider_and_period_highlights_late_returns_and_links_into_the_job_console()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.ScalarAsync<int>("""
            with p as (insert into periods (period, starts_on, ends_on, deadline, closed) values
                         ('2024', '2024-01-01', '2024-12-31', '2025-03-31', false), ('2099', '2099-01-01', '2099-12-31',
                           '2100-03-31', false) returning 1),
                 q as (insert into providers (code, name) values ('KDZA', 'KDZ Auenland'), ('ITVB', 'ITV Brückenfeld')
                   returning 1)
            select (select count(*) from p)::int + (select count(*) from q)::int
            """);
        await using var web = await WebTestHost.StartAsync(db);
        using var http = web.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/admin/abgaben")).StatusCode);

        var page = await http.GetStringAsync("/admin/anmelden");
        var token = System.Text.RegularExpressions.Regex.Match(page,
            "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        await http.PostAsync("/admin/anmelden", new FormUrlEncodedContent([
            new("__RequestVerificationToken", WebUtility.HtmlDecode(token)), new("returnUrl", "/admin"),
            new("userName", WebTestHost.AdminUser), new("password", WebTestHost.AdminPassword)]));
        var ledger = await http.GetStringAsync("/admin/abgaben");

        Assert.Contains("href=\"/hangfire\"", ledger);
        foreach (var provider in new[] { "KDZA", "ITVB" })
        {
            Assert.Contains($"data-provider=\"{provider}\" data-period=\"2024\" data-state=\"missing\" "
                + "data-late=\"true\"", ledger);   // deadline passed, nothing accepted
            Assert.Contains($"data-provider=\"{provider}\" data-period=\"2099\" data-state=\"missing\" "
                + "data-late=\"false\"", ledger);
        }
        Assert.Contains("<span class=\"state state-missing\">fehlt</span> <span class=\"state state-late\">verspätet"
            + "</span>", ledger);
    }
}
