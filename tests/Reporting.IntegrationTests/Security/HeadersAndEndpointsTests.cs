using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Reporting.IntegrationTests.Support;

namespace Reporting.IntegrationTests.Security;

/// <summary>
/// The real web host on Kestrel: response headers, /health, admin sign-in redirects, proxies, download links.
/// </summary>
public sealed class HeadersAndEndpointsTests
{
    [Fact]
    public async Task Every_response_carries_a_CSP_with_frame_ancestors_and_nosniff_and_the_job_console_loads_under_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var http = web.Client();

        var anonymous = new[] { "/health", "/admin/anmelden", "/portal/anmelden", "/api/returns/1", "/gibt-es-nicht",
            "/hangfire" };
        foreach (var path in anonymous) AssertHardened(await http.GetAsync(path), path);

        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(http, "/admin")).StatusCode);
        var console = await http.GetAsync("/hangfire");
        AssertHardened(console, "/hangfire");
        // The dashboard's scripts come from its own paths (script-src 'self'), none inline (they would be blocked).
        var html = await console.Content.ReadAsStringAsync();
        var scripts = Regex.Matches(html, "<script([^>]*)>", RegexOptions.IgnoreCase).Select(m
            => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.Matches("src=\"/hangfire/", s));
        foreach (var src in scripts.Select(s => Regex.Match(s, "src=\"([^\"]+)\"").Groups[1].Value))
            AssertHardened(await http.GetAsync(WebUtility.HtmlDecode(src)), src);
    }

    [Fact]
    public async Task Anonymous_health_says_only_its_status_and_an_admin_sees_the_details()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db, withWorkers: true);
        using var http = web.Client();

        var anonymous = JsonDocument.Parse(await http.GetStringAsync("/health")).RootElement;
        Assert.Equal(["status"], anonymous.EnumerateObject().Select(p => p.Name).ToList());
        Assert.Contains(anonymous.GetProperty("status").GetString(), new[] { "healthy", "degraded" });

        await SignInAsync(http, "/admin");
        var admin = await Eventually.WaitForAsync(async ()
            => JsonDocument.Parse(await http.GetStringAsync("/health")).RootElement,
            h => h.GetProperty("liveWorkers").GetInt32() > 0, "the job server's first heartbeat");
        Assert.Equal("healthy", admin.GetProperty("status").GetString());
        Assert.NotEmpty(admin.GetProperty("servers").EnumerateArray());
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\r\nLocation: http://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/")]
    public async Task A_valid_sign_in_with_a_bad_returnUrl_goes_to_the_console_start_page(string returnUrl)
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db);
        using var http = web.Client();

        var response = await SignInAsync(http, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Forwarded_proto_from_a_configured_proxy_makes_cookies_secure_and_is_ignored_from_anyone_else()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using (var unconfigured = await WebTestHost.StartAsync(db))
        {
            using var http = unconfigured.Client();
            http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
            var cookie = Assert.Single((await SignInAsync(http, "/admin")).Headers.GetValues("Set-Cookie"), c
                => c.StartsWith("reporting.admin="));
            Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        }
        await using (var behindProxy = await WebTestHost.StartAsync(db, settings: ("Web:KnownProxies:0", "127.0.0.1")))
        {
            using var http = behindProxy.Client();
            http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
            var cookie = Assert.Single((await SignInAsync(http, "/admin")).Headers.GetValues("Set-Cookie"), c
                => c.StartsWith("reporting.admin="));
            Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_download_link_older_than_its_lifetime_answers_410_and_a_recent_one_the_file()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var web = await WebTestHost.StartAsync(db, settings: ("Delivery:DownloadLinkDays", "30"));
        using var http = web.Client();
        var (fresh, old) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var cmd = db.DataSource.CreateCommand("""
            insert into delivery_downloads (id, file_name, content, sha256, created_at) values
              ($1, 'neu.xlsx', '\x01'::bytea, '\x00'::bytea, now() - interval '29 days'),
              ($2, 'alt.xlsx', '\x02'::bytea, '\x00'::bytea, now() - interval '31 days')
            """))
        {
            cmd.Parameters.Add(new() { Value = fresh });
            cmd.Parameters.Add(new() { Value = old });
            await cmd.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/downloads/{fresh}")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await http.GetAsync($"/downloads/{old}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/downloads/{Guid.NewGuid()}")).StatusCode);
    }

    static void AssertHardened(HttpResponseMessage response, string what)
    {
        var csp = string.Join(",", response.Headers.TryGetValues("Content-Security-Policy", out var v) ? v : []);
        Assert.True(csp.Contains("frame-ancestors 'none'") && csp.Contains("script-src 'self'"),
            $"{what}: CSP '{csp}'");
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var n) && n.Single() == "nosniff",
            $"{what}: nosniff");
    }

    static async Task<HttpResponseMessage> SignInAsync(HttpClient http, string returnUrl)
    {
        var page = await http.GetStringAsync("/admin/anmelden");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        return await http.PostAsync("/admin/anmelden", new FormUrlEncodedContent([
            new("__RequestVerificationToken", WebUtility.HtmlDecode(token)), new("returnUrl", returnUrl),
            new("userName", WebTestHost.AdminUser), new("password", WebTestHost.AdminPassword)]));
    }
}
