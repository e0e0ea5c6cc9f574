using System.Net;
using Microsoft.Extensions.Configuration;
using Reporting.IntegrationTests.Support;
using Reporting.Uploads;
using Reporting.Access;
using Reporting.IntegrationTests.Web;

namespace Reporting.IntegrationTests.Access;

public sealed class SessionTests
{
    static string Location(HttpResponseMessage r, WebTestHost web)
        => r.Headers.Location!.OriginalString.Replace(web.BaseUrl, "");

    static async Task<string> ProviderKeyAsync(WebTestHost web)
    {
        var keys = web.Services.GetRequiredService<ProviderKeys>();
        await keys.EnsureAsync("KDZA", "Kommunales Datenzentrum A");
        return await keys.IssueKeyAsync("KDZA");
    }

    [Fact]
    public async Task Revoking_a_providers_key_ends_its_portal_sessions_even_for_a_copied_cookie()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var browser = new WebSignIn(web);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PortalAsync(await ProviderKeyAsync(web))).StatusCode);
        var copied = browser.CookieHeader;
        Assert.Equal(HttpStatusCode.OK, (await WebSignIn.ReplayAsync(web, "/portal", copied)).StatusCode);

        await web.Services.GetRequiredService<ProviderKeys>().RevokeAsync("KDZA");

        var after = await WebSignIn.ReplayAsync(web, "/portal", copied);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/portal/anmelden", Location(after, web));
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await WebSignIn.ReplayAsync(web, "/api/returns/1", copied)).StatusCode);
    }

    [Fact]
    public async Task Issuing_a_new_key_ends_the_sessions_opened_with_the_old_one()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var browser = new WebSignIn(web);
        await browser.PortalAsync(await ProviderKeyAsync(web));
        var copied = browser.CookieHeader;

        await web.Services.GetRequiredService<ProviderKeys>().IssueKeyAsync("KDZA");

        Assert.Equal(HttpStatusCode.Redirect, (await WebSignIn.ReplayAsync(web, "/portal", copied)).StatusCode);
    }

    [Fact]
    public async Task Signing_out_of_the_portal_ends_the_session_for_a_copied_cookie_too()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var browser = new WebSignIn(web);
        await browser.PortalAsync(await ProviderKeyAsync(web));
        var copied = browser.CookieHeader;

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/portal", "/portal/abmelden")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await WebSignIn.ReplayAsync(web, "/portal", copied)).StatusCode);
    }

    [Fact]
    public async Task Signing_out_of_the_admin_console_ends_the_session_for_a_copied_cookie_too()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var browser = new WebSignIn(web);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.AdminAsync(WebTestHost.AdminPassword)).StatusCode);
        var copied = browser.CookieHeader;
        Assert.Equal(HttpStatusCode.OK, (await WebSignIn.ReplayAsync(web, "/admin", copied)).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/admin", "/admin/abmelden")).StatusCode);

        var after = await WebSignIn.ReplayAsync(web, "/admin", copied);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/admin/anmelden", Location(after, web));
        Assert.Equal(HttpStatusCode.Redirect, (await WebSignIn.ReplayAsync(web, "/hangfire", copied)).StatusCode);
    }

    [Fact]
    public async Task Changing_the_admin_password_ends_existing_admin_sessions()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var browser = new WebSignIn(web);
        await browser.AdminAsync(WebTestHost.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/admin")).StatusCode);

        var configuration = (IConfigurationRoot)web.Services.GetRequiredService<IConfiguration>();
        configuration["Admin:Password"] = "Ein-neues-Passwort-2026!";
        configuration.Reload();

        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.AdminAsync("Ein-neues-Passwort-2026!")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task A_session_ends_at_its_configured_absolute_lifetime_however_active_it_is()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db, settings: ("Sessions:AbsoluteHours", "3"));
        using var browser = new WebSignIn(web);
        await browser.AdminAsync(WebTestHost.AdminPassword);
        Assert.Equal(3.0, await db.ScalarAsync<double>(
            "select extract(epoch from expires_at - created_at) / 3600 from web_sessions where kind = 'admin'"));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/admin")).StatusCode);

        // Three hours later, as if it had been used all along: the sliding cookie would live on, the session does not.
        await db.ScalarAsync<int>("update web_sessions set created_at = created_at - interval '3 hours', " +
            "expires_at = expires_at - interval '3 hours' returning 1");

        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/admin")).StatusCode);
    }
}
