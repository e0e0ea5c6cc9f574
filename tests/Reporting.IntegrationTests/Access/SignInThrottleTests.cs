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
