using System.Net;
using Reporting.IntegrationTests.Support;
using Reporting.Uploads;
using Reporting.Access;
using Reporting.IntegrationTests.Web;

namespace Reporting.IntegrationTests.Access;

public sealed class SignInThrottleTests
{
    [Fact]
    public async Task Fifty_wrong_admin_passwords_are_throttled_and_then_even_the_right_one_waits_for_the_lockout()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db, settings: ("SignIn:DelayMilliseconds", "1"));
        using var browser = new WebSignIn(web);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++) answers.Add((await browser.AdminAsync($"falsch-{i}")).StatusCode);

        Assert.Equal(10, answers.Count(a => a == HttpStatusCode.Unauthorized));
        Assert.Equal(40, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        var right = await browser.AdminAsync(WebTestHost.AdminPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Contains("Zu viele fehlgeschlagene Anmeldungen", await right.Content.ReadAsStringAsync());
        Assert.True(right.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task Wrong_passwords_lock_out_their_address_only_and_every_web_process_alerts_the_admin_to_them()
    {
        await using var db = await TestDatabase.CreateAsync();
        // Behind a trusted proxy (loopback), X-Forwarded-For names the client address, as each test client says.
        (string, string)[] settings = [("SignIn:DelayMilliseconds", "1"), ("Web:KnownProxies:0", "127.0.0.1")];
        await using var web = await WebTestHost.StartAsync(db, settings: settings);
        await using var otherProcess = await WebTestHost.StartAsync(db, settings: settings);
        using var attacker = From(new WebSignIn(web), "203.0.113.7");
        using var second = From(new WebSignIn(web), "203.0.113.8");
        using var admin = From(new WebSignIn(web), "198.51.100.20");
        using var adminElsewhere = From(new WebSignIn(otherProcess), "198.51.100.21");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++) answers.Add((await attacker.AdminAsync($"falsch-{i}")).StatusCode);
        for (var i = 0; i < 3; i++) answers.Add((await second.AdminAsync($"auch-falsch-{i}")).StatusCode);
        var rightFromAttacker = await attacker.AdminAsync(WebTestHost.AdminPassword);
        var rightFromAdmin = await admin.AdminAsync(WebTestHost.AdminPassword);
        var rightElsewhere = await adminElsewhere.AdminAsync(WebTestHost.AdminPassword);

        Assert.Equal(13, answers.Count(a => a == HttpStatusCode.Unauthorized));
        Assert.Equal(2, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, rightFromAttacker.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, rightFromAdmin.StatusCode);
        Assert.Equal("/admin", rightFromAdmin.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, rightElsewhere.StatusCode);
        const string alert = "13 fehlgeschlagene Anmeldeversuche für das Admin-Konto in den letzten 15 Minuten "
            + "von 2 Adressen.";
        foreach (var page in new[] { await admin.Http.GetStringAsync("/admin"),
                     await adminElsewhere.Http.GetStringAsync("/admin") })
        {
            Assert.Contains("id=\"sign-in-alert\"", page);
            Assert.Contains(alert, page);
        }
        Assert.Equal(2, await db.ScalarAsync<long>("select count(distinct address) from admin_sign_in_failures"));
    }

    [Fact]
    public async Task A_few_mistyped_admin_passwords_are_counted_on_the_start_page_without_an_alert()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db, settings: ("SignIn:DelayMilliseconds", "1"));
        using var browser = new WebSignIn(web);

        await browser.AdminAsync("vertippt");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.AdminAsync(WebTestHost.AdminPassword)).StatusCode);
        var page = await browser.Http.GetStringAsync("/admin");

        Assert.DoesNotContain("sign-in-alert", page);
        Assert.Contains("1 fehlgeschlagener Anmeldeversuch für das Admin-Konto in den letzten 15 Minuten "
            + "von 1 Adresse.", page);
    }

    static WebSignIn From(WebSignIn browser, string address)
    {
        browser.Http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return browser;
    }

    [Fact]
    public async Task Wrong_admin_passwords_are_answered_ever_more_slowly()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db, settings: ("SignIn:DelayMilliseconds", "400"));
        using var browser = new WebSignIn(web);
        for (var i = 0; i < 3; i++) await browser.AdminAsync("falsch");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await browser.AdminAsync("falsch");   // 4th: 400 ms
        await browser.AdminAsync("falsch");   // 5th: 800 ms

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(1100), $"{watch.Elapsed}");   // timer granularity
    }

    [Fact]
    public async Task Portal_sign_in_failures_count_for_the_api_key_limiter_and_a_valid_key_still_gets_in()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db, settings: ("SignIn:DelayMilliseconds", "1"));
        var keys = web.Services.GetRequiredService<ProviderKeys>();
        await keys.EnsureAsync("KDZA", "Kommunales Datenzentrum A");
        var key = await keys.IssueKeyAsync("KDZA");
        using var browser = new WebSignIn(web);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++) answers.Add((await browser.PortalAsync($"falscher-schluessel-{i}")).StatusCode);

        Assert.Equal(10, answers.Count(a => a == HttpStatusCode.Unauthorized));
        Assert.Equal(2, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        using var wrongApi = new HttpRequestMessage(HttpMethod.Get, "/api/template?period=2025")
            { Headers = { { "Authorization", "Bearer noch-ein-falscher" } } };
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.Http.SendAsync(wrongApi)).StatusCode);

        var valid = await browser.PortalAsync(key);
        Assert.Equal(HttpStatusCode.Redirect, valid.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/portal")).StatusCode);
        using var validApi = new HttpRequestMessage(HttpMethod.Get, "/api/template?period=2025")
            { Headers = { { "Authorization", $"Bearer {key}" } } };
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.SendAsync(validApi)).StatusCode);
    }
}
